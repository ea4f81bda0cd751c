package io.dbsnap.api.job;

import java.util.ArrayList;
import java.util.List;

/**
 * What the operator tells {@code dbsnap agent snapshot}, in one place: the operator builds a Job's
 * arguments from this record, and the agent's options are declared with these names, so renaming
 * one breaks a unit test (AgentContractTest) rather than a cluster. Credentials are never here:
 * they reach the agent as the environment variables below (and {@link AgentStoreArgs}), from secretKeyRefs.
 *
 * @param pod      the database pod: spec.source.pod.name, or the one the operator chose by {@code selector}
 * @param selector the selector the pod was chosen by (kubectl syntax), else null
 */
public record AgentSnapshotArgs(String namespace, String name, String pod, String selector, String container,
                                String engine, String database, String path, boolean allowPlainCopy,
                                String compression, String tag, String note, AgentStoreArgs store) {

    public static final String COMMAND = "agent";
    public static final String SUBCOMMAND = "snapshot";

    public static final String NAMESPACE = "--namespace";
    public static final String NAME = "--name";
    public static final String POD = "--pod";
    public static final String SELECTOR = "--selector";
    public static final String CONTAINER = "--container";
    public static final String ENGINE = "--engine";
    public static final String DATABASE = "--database";
    public static final String PATH = "--path";
    public static final String ALLOW_PLAIN_COPY = "--allow-plain-copy";
    public static final String COMPRESS = "--compress";
    public static final String TAG = "--tag";
    public static final String NOTE = "--note";

    /** Database credentials, from the snapshot's credentialsSecret. */
    public static final String DB_USERNAME_ENV = "DBSNAP_DB_USERNAME";
    public static final String DB_PASSWORD_ENV = "DBSNAP_DB_PASSWORD";

    /** The Job container's arguments; every value attached to its option, so {@code --no-data} stays a value. */
    public List<String> toArgs() {
        List<String> args = new ArrayList<>(List.of(COMMAND, SUBCOMMAND));
        args.addAll(List.of(NAMESPACE, namespace, NAME, name));
        add(args, POD, pod);
        add(args, SELECTOR, selector);
        add(args, CONTAINER, container);
        add(args, ENGINE, engine);
        add(args, DATABASE, database);
        add(args, PATH, path);
        if (allowPlainCopy) {
            args.add(ALLOW_PLAIN_COPY);
        }
        add(args, COMPRESS, compression);
        add(args, TAG, tag);
        add(args, NOTE, note);
        args.addAll(store.toArgs());
        return args;
    }

    static void add(List<String> args, String flag, String value) {
        if (value != null && !value.isBlank()) {
            args.add(flag + "=" + value);
        }
    }
}
