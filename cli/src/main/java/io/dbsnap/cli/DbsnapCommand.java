package io.dbsnap.cli;

import io.dbsnap.cli.agent.AgentCommand;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.DbsnapVersion;
import io.dbsnap.core.database.TargetParser;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.StringWriter;

@Command(name = "dbsnap", mixinStandardHelpOptions = true, versionProvider = DbsnapCommand.Version.class,
        description = "Take, list, verify, prune and restore logical snapshots of databases, and pull one from a cluster.",
        subcommands = {CreateCommand.class, ListCommand.class, RestoreCommand.class, VerifyCommand.class, PullCommand.class,
                PruneCommand.class, SnapshotCommand.class, DatabaseShellCommand.Psql.class, DatabaseShellCommand.Mysql.class,
                DatabaseShellCommand.Mariadb.class, DatabaseShellCommand.RedisCli.class, CompletionCommand.class, KeygenCommand.class, AgentCommand.class,
                CommandLine.HelpCommand.class})
public final class DbsnapCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: create, list, "
                + "restore, verify, prune, pull, snapshot, psql, mysql, mariadb or redis-cli");
    }

    public static void main(String[] args) {
        CliContext context = CliContext.system();
        System.exit(execute(context, args));
    }

    /** Runs one command line; what it prints goes to the context's streams. Returns the exit status. */
    public static int execute(CliContext context, String... args) {
        // known before parsing, so that even a usage error cannot echo a password
        for (String arg : args) {
            TargetParser.secretsIn(arg).forEach(context::addSecret);
        }
        CommandLine commandLine = new CommandLine(new DbsnapCommand(), new ContextFactory(context))
                .setOut(context.out())
                .setErr(context.err())
                .setExecutionExceptionHandler((e, cl, parsed) -> report(context, e))
                .setParameterExceptionHandler((e, parsed) -> {
                    context.err().println("dbsnap: " + context.scrub(e.getMessage()));
                    context.err().println("Run 'dbsnap " + (e.getCommandLine().getCommandName().equals("dbsnap") ? ""
                            : e.getCommandLine().getCommandName() + " ") + "--help' for usage.");
                    context.err().flush();
                    return 2;
                });
        int exit;
        try {
            exit = commandLine.execute(args);
        } catch (Error e) {
            // a broken installation (a missing class) still ends in one line, not a stack trace
            exit = report(context, new RuntimeException(e.toString(), e));
        }
        context.out().flush();
        context.err().flush();
        return exit;
    }

    /** One line, no stack trace (unless DBSNAP_DEBUG is set), every known secret masked. */
    private static int report(CliContext context, Exception e) {
        PrintWriter err = context.err();
        String message = e instanceof DbsnapException ? e.getMessage()
                : "unexpected error: " + e.getClass().getSimpleName() + ": " + e.getMessage();
        err.println("dbsnap: " + context.scrub(message.strip()));
        for (Throwable suppressed : e.getSuppressed()) {
            err.println("dbsnap: also: " + context.scrub(String.valueOf(suppressed.getMessage()).strip()));
        }
        if (context.env().containsKey("DBSNAP_DEBUG")) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            err.println(context.scrub(trace.toString()));
        }
        err.flush();
        return 1;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"dbsnap " + DbsnapVersion.VERSION};
        }
    }

    /** Gives every command the same context (environment, streams, terminal). */
    private record ContextFactory(CliContext context) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                return cls.getDeclaredConstructor(CliContext.class).newInstance(context);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }
}
