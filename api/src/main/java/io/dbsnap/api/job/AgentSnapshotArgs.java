package io.dbsnap.api.job;

import java.util.ArrayList;
import java.util.List;

/**
 * What the operator tells {@code dbsnap agent snapshot}, in one place: the operator builds a Job's
 * arguments from this record, and the agent's options are declared with these names, so renaming
 * one breaks a unit test (AgentContractTest) rather than a cluster. Credentials are never here:
 * they reach the agent as environment variables ({@link AgentPodArgs}, {@link AgentStoreArgs}), from secretKeyRefs.
 */
public record AgentSnapshotArgs(AgentPodArgs source, String name, String compression, String tag, String note,
                                List<String> recipients, AgentStoreArgs store) {

    public static final String COMMAND = "agent";
    public static final String SUBCOMMAND = "snapshot";

    public static final String NAME = "--name";
    public static final String COMPRESS = "--compress";
    public static final String TAG = "--tag";
    public static final String NOTE = "--note";
    /** An age public key to encrypt to; repeated for each. Public: arguments may hold it. */
    public static final String RECIPIENT = "--recipient";
    /** Environment variable with more age public keys, one per line (from a ConfigMap or Secret key). */
    public static final String RECIPIENTS_ENV = "DBSNAP_AGE_RECIPIENTS";

    /** The Job container's arguments. */
    public List<String> toArgs() {
        List<String> args = new ArrayList<>(List.of(COMMAND, SUBCOMMAND));
        args.addAll(source.toArgs());
        args.add(NAME + "=" + name);
        AgentPodArgs.add(args, COMPRESS, compression);
        AgentPodArgs.add(args, TAG, tag);
        AgentPodArgs.add(args, NOTE, note);
        if (recipients != null) {
            recipients.forEach(recipient -> args.add(RECIPIENT + "=" + recipient));
        }
        args.addAll(store.toArgs());
        return args;
    }
}
