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
                                AgentStoreArgs store) {

    public static final String COMMAND = "agent";
    public static final String SUBCOMMAND = "snapshot";

    public static final String NAME = "--name";
    public static final String COMPRESS = "--compress";
    public static final String TAG = "--tag";
    public static final String NOTE = "--note";

    /** The Job container's arguments. */
    public List<String> toArgs() {
        List<String> args = new ArrayList<>(List.of(COMMAND, SUBCOMMAND));
        args.addAll(source.toArgs());
        args.add(NAME + "=" + name);
        AgentPodArgs.add(args, COMPRESS, compression);
        AgentPodArgs.add(args, TAG, tag);
        AgentPodArgs.add(args, NOTE, note);
        args.addAll(store.toArgs());
        return args;
    }
}
