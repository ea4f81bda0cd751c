package io.dbsnap.cli.agent;

import io.dbsnap.api.job.AgentPodArgs;
import picocli.CommandLine.Option;

/**
 * Which database in which pod an agent command works on, as the operator names it: the same options
 * for taking a snapshot of a database and, later, restoring into one.
 */
public final class PodDatabaseOptions {

    @Option(names = AgentPodArgs.NAMESPACE, required = true, paramLabel = "NS", description = "the database pod's namespace")
    String namespace;

    @Option(names = AgentPodArgs.POD, paramLabel = "NAME", description = "the database pod's name")
    String podName;

    /** With --pod too: the pod the operator chose by this selector, read by name and filed under its workload. */
    @Option(names = AgentPodArgs.SELECTOR, paramLabel = "SELECTOR", description = "a label selector (app=orders,role=primary)")
    String selector;

    @Option(names = AgentPodArgs.CONTAINER, paramLabel = "NAME", description = "the container (default: the database's)")
    String container;

    @Option(names = AgentPodArgs.ENGINE, paramLabel = "ENGINE", description = "postgresql, ... (default: from the image)")
    String engineName;

    @Option(names = AgentPodArgs.DATABASE, paramLabel = "DB", description = "the database (default: from the pod's environment)")
    String database;

    @Option(names = AgentPodArgs.PATH, paramLabel = "FILE", description = "the database file in the pod (sqlite)")
    String path;

    @Option(names = AgentPodArgs.ALLOW_PLAIN_COPY, description = "sqlite: copy the file as it is where there is no sqlite3")
    boolean allowPlainCopy;

    public boolean chosenBySelector() {
        return selector != null;
    }
}
