package io.dbsnap.operator.job;

import io.dbsnap.api.job.AgentStoreArgs;
import io.dbsnap.api.v1alpha1.common.S3Storage;
import io.dbsnap.api.v1alpha1.common.SnapshotStorage;
import io.dbsnap.operator.common.SecretRefs;
import io.fabric8.kubernetes.api.model.EnvVar;

import java.util.List;

/**
 * How a resource's {@code storage} reaches an agent Job: the store's URI and settings as arguments,
 * its keys as secretKeyRef environment variables. A new backend (GCS, Azure) is one more case here,
 * beside its API type and its store provider in core; reconcilers and Job builders do not change.
 */
public record StoreBinding(String storeUri, AgentStoreArgs args, List<EnvVar> env) {

    public static StoreBinding of(SnapshotStorage storage) {
        S3Storage s3 = storage.getS3();
        SecretRefs.Pair keys = SecretRefs.s3(s3);
        String uri = storeUri(storage);
        return new StoreBinding(uri, new AgentStoreArgs(uri, s3.getEndpoint(), s3.getRegion(), s3.getForcePathStyle()),
                List.of(AgentJobTemplate.secretEnv(AgentStoreArgs.S3_ACCESS_KEY_ENV, keys.secret(), keys.firstKey()),
                        AgentJobTemplate.secretEnv(AgentStoreArgs.S3_SECRET_KEY_ENV, keys.secret(), keys.secondKey())));
    }

    /** Where the agent stores, and where the operator deletes; no Secret is read for it. */
    public static String storeUri(SnapshotStorage storage) {
        return s3Uri(storage.getS3());
    }

    /** {@code s3://bucket/prefix}. */
    public static String s3Uri(S3Storage s3) {
        String prefix = s3.getPrefix() == null || s3.getPrefix().isBlank() ? "" : "/" + s3.getPrefix();
        return "s3://" + s3.getBucket() + prefix;
    }
}
