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
import java.util.List;

@Command(name = "dbsnap", mixinStandardHelpOptions = true, version = "dbsnap " + DbsnapVersion.VERSION,
        description = "Take, list, verify, prune and restore logical snapshots of databases, and pull one from a cluster.")
public final class DbsnapCommand implements Runnable {

    /** The subcommands, in the order help lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(CreateCommand.class, ListCommand.class, RestoreCommand.class,
            VerifyCommand.class, PullCommand.class, PruneCommand.class, SnapshotCommand.class, DatabaseShellCommand.Psql.class,
            DatabaseShellCommand.Mysql.class, DatabaseShellCommand.Mariadb.class, DatabaseShellCommand.RedisCli.class,
            CompletionCommand.class, KeygenCommand.class, AgentCommand.class, CommandLine.HelpCommand.class);

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
        // else picocli looks for Groovy on the class path, opening every jar on it: a tenth of each start
        System.setProperty("picocli.disable.closures", "true");
        // known before parsing, so that even a usage error cannot echo a password
        for (String arg : args) {
            TargetParser.secretsIn(arg).forEach(context::addSecret);
        }
        CommandLine commandLine = new CommandLine(new DbsnapCommand(), new ContextFactory(context));
        for (Class<?> subcommand : subcommandsFor(args)) {
            commandLine.addSubcommand(subcommand);
        }
        Failures failures = new Failures(context);
        commandLine.setOut(context.out())
                .setErr(context.err())
                .setExecutionExceptionHandler(failures)
                .setParameterExceptionHandler(failures);
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

    /**
     * Only the subcommands this command line needs: picocli reads every option of every command it is given, which
     * was half of dbsnap's start-up. Help, completion and anything unrecognised get them all.
     */
    static List<Class<?>> subcommandsFor(String... args) {
        if (args.length == 1 && (args[0].equals("-V") || args[0].equals("--version"))) {
            return List.of();
        }
        if (args.length > 0) {
            for (Class<?> subcommand : SUBCOMMANDS) {
                String name = subcommand.getAnnotation(Command.class).name();
                if (name.equals(args[0]) && subcommand != CompletionCommand.class && subcommand != CommandLine.HelpCommand.class) {
                    return List.of(subcommand);
                }
            }
        }
        return SUBCOMMANDS;
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

    /**
     * How a failure is told: usage errors with exit 2 and a pointer to help, everything else in one line. A class, not
     * two lambdas: a lambda for one of picocli's Java 5 interfaces keeps that interface out of the class-data archive.
     */
    private record Failures(CliContext context)
            implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

        @Override
        public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) {
            return report(context, e);
        }

        @Override
        public int handleParseException(CommandLine.ParameterException e, String[] args) {
            context.err().println("dbsnap: " + context.scrub(e.getMessage()));
            if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
                List<String> near = unmatched.getSuggestions();
                if (!near.isEmpty()) {
                    context.err().println("Did you mean: " + context.scrub(String.join(" or ", near)) + "?");
                }
            }
            String name = e.getCommandLine().getCommandName();
            context.err().println("Run 'dbsnap " + (name.equals("dbsnap") ? "" : name + " ") + "--help' for usage.");
            context.err().flush();
            return 2;
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
