package io.dbsnap.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** dbsnap reads only the command it runs (start-up), and still behaves as one command line with every subcommand. */
class CommandLineTest {

    @TempDir
    Path work;

    @Test
    void aCommandIsBuiltAloneAndAnythingElseGetsEveryCommand() {
        assertThat(DbsnapCommand.subcommandsFor("create", "--help")).containsExactly(CreateCommand.class);
        assertThat(DbsnapCommand.subcommandsFor("psql", "pod")).containsExactly(DatabaseShellCommand.Psql.class);
        assertThat(DbsnapCommand.subcommandsFor("agent", "snapshot")).hasSize(1);
        assertThat(DbsnapCommand.subcommandsFor("--version")).isEmpty();
        for (String[] args : new String[][]{{}, {"--help"}, {"help", "create"}, {"completion", "bash"}, {"bogus"},
                {"--version", "list"}, {"-h"}, {"CREATE"}, {"--store", "x", "list"}}) {
            assertThat(DbsnapCommand.subcommandsFor(args)).as(String.join(" ", args))
                    .isEqualTo(DbsnapCommand.SUBCOMMANDS);
        }
        // every subcommand is reachable by its own name, alone
        for (Class<?> subcommand : DbsnapCommand.SUBCOMMANDS) {
            String name = subcommand.getAnnotation(Command.class).name();
            if (subcommand != CompletionCommand.class && subcommand != CommandLine.HelpCommand.class) {
                assertThat(DbsnapCommand.subcommandsFor(name, "--help")).containsExactly(subcommand);
            }
        }
    }

    @Test
    void helpVersionAndErrorsAreThoseOfTheWholeCommandLine() {
        Cli cli = new Cli(work);
        Cli.Result help = cli.run("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("create", "list", "restore", "verify", "pull", "prune", "snapshot", "psql",
                "redis-cli", "completion", "keygen").doesNotContain("agent");
        assertThat(cli.run("help", "restore").out()).contains("--dry-run");
        assertThat(cli.run("restore", "--help").out()).contains("--dry-run");
        assertThat(cli.run("--version").out()).contains("dbsnap 0.1.0");
        Cli.Result none = cli.run();
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("a command is needed");
        Cli.Result unknown = cli.run("creat");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("creat").contains("Did you mean", "create");
        Cli.Result badOption = cli.run("list", "--no-such-option");
        assertThat(badOption.exit()).isEqualTo(2);
        assertThat(badOption.err()).contains("--no-such-option").contains("dbsnap list --help");
    }
}
