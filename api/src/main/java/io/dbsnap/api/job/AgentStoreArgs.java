package io.dbsnap.api.job;

import java.util.ArrayList;
import java.util.List;

/**
 * Where an agent command finds the store, the same for every command that reads or writes one: the
 * store's URI and its settings. The keys are never here; they arrive as the environment variables
 * below, from secretKeyRefs.
 */
public record AgentStoreArgs(String store, String s3Endpoint, String s3Region, Boolean s3PathStyle) {

    public static final String STORE = "--store";
    public static final String S3_ENDPOINT = "--s3-endpoint";
    public static final String S3_REGION = "--s3-region";
    public static final String S3_PATH_STYLE = "--s3-path-style";

    /** The bucket's keys, from spec.storage.s3.credentialsSecret, as the AWS SDK reads them. */
    public static final String S3_ACCESS_KEY_ENV = "AWS_ACCESS_KEY_ID";
    public static final String S3_SECRET_KEY_ENV = "AWS_SECRET_ACCESS_KEY";

    public List<String> toArgs() {
        List<String> args = new ArrayList<>(List.of(STORE, store));
        AgentPodArgs.add(args, S3_ENDPOINT, s3Endpoint);
        AgentPodArgs.add(args, S3_REGION, s3Region);
        if (s3PathStyle != null) {
            args.addAll(List.of(S3_PATH_STYLE, s3PathStyle.toString()));
        }
        return args;
    }
}
