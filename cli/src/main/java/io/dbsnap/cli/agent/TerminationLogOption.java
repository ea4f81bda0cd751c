package io.dbsnap.cli.agent;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where an agent command writes its result, for every agent command alike. */
public final class TerminationLogOption {

    @Option(names = "--termination-log", paramLabel = "FILE",
            description = "where the result goes (default: $" + AgentRun.TERMINATION_LOG_ENV + ", else /dev/termination-log)")
    Path path;
}
