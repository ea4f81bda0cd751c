package io.dbsnap.cli.agent;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What the operator's Jobs run; hidden from people, who use create and restore. */
@Command(name = io.dbsnap.api.job.AgentSnapshotArgs.COMMAND, hidden = true, mixinStandardHelpOptions = true,
        description = "Run inside a Job created by the dbsnap operator.",
        subcommands = {AgentSnapshotCommand.class, AgentRestoreCommand.class})
public final class AgentCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: snapshot or restore");
    }
}
