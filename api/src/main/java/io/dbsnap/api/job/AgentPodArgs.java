package io.dbsnap.api.job;

import java.util.ArrayList;
import java.util.List;

/**
 * Which database in which pod an agent command works on: the source of a snapshot, the target of a
 * restore. The agent declares its options with these names ({@code PodDatabaseOptions}), so the two
 * ends cannot drift apart unnoticed (AgentContractTest). Credentials travel as the variables below.
 *
 * @param pod      the database pod: the spec's pod name, or the one the operator chose by {@code selector}
 * @param selector the selector the pod was chosen by (kubectl syntax), else null
 */
public record AgentPodArgs(String namespace, String pod, String selector, String container, String engine,
                           String database, String path, boolean allowPlainCopy) {

    public static final String NAMESPACE = "--namespace";
    public static final String POD = "--pod";
    public static final String SELECTOR = "--selector";
    public static final String CONTAINER = "--container";
    public static final String ENGINE = "--engine";
    public static final String DATABASE = "--database";
    public static final String PATH = "--path";
    public static final String ALLOW_PLAIN_COPY = "--allow-plain-copy";

    /** Database credentials, from the resource's credentialsSecret. */
    public static final String DB_USERNAME_ENV = "DBSNAP_DB_USERNAME";
    public static final String DB_PASSWORD_ENV = "DBSNAP_DB_PASSWORD";

    /** Every value attached to its option, so {@code --no-data} stays a value. */
    public List<String> toArgs() {
        List<String> args = new ArrayList<>(List.of(NAMESPACE + "=" + namespace));
        add(args, POD, pod);
        add(args, SELECTOR, selector);
        add(args, CONTAINER, container);
        add(args, ENGINE, engine);
        add(args, DATABASE, database);
        add(args, PATH, path);
        if (allowPlainCopy) {
            args.add(ALLOW_PLAIN_COPY);
        }
        return args;
    }

    static void add(List<String> args, String flag, String value) {
        if (value != null && !value.isBlank()) {
            args.add(flag + "=" + value);
        }
    }
}
