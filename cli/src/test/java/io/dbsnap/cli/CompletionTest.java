package io.dbsnap.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The completion script, sourced in a real bash, completes commands and options as they are now. */
class CompletionTest {

    @TempDir
    Path work;

    @Test
    void bashCompletesCommandsAndTheirOptions() throws Exception {
        Cli.Result script = new Cli(work).run("completion", "bash");
        assertThat(script.exit()).isZero();
        Path file = work.resolve("dbsnap.bash");
        Files.writeString(file, script.out());
        assertThat(complete(file, "dbsnap", "ps")).contains("psql");
        assertThat(complete(file, "dbsnap", "sn")).contains("snapshot");
        assertThat(complete(file, "dbsnap", "list", "--sc")).contains("--schedules");
        assertThat(complete(file, "dbsnap", "pull", "--la")).contains("--latest-of");
        assertThat(complete(file, "dbsnap", "restore", "--ma")).contains("--mask", "--mask-key-file");

        Cli.Result zsh = new Cli(work).run("completion", "zsh");
        assertThat(zsh.out()).startsWith("autoload -U +X compinit").contains("_complete_dbsnap");
        assertThat(new Cli(work).run("completion", "fish").err()).contains("bash and zsh");
    }

    /** What bash offers for the last word. */
    private String complete(Path script, String... words) throws Exception {
        String line = String.join(" ", words);
        String bash = "source '" + script + "' 2>/dev/null; COMP_WORDS=(" + line + "); COMP_CWORD=" + (words.length - 1)
                + "; COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; _complete_dbsnap dbsnap '"
                + words[words.length - 1] + "' '" + words[words.length - 2] + "' 2>/dev/null; echo \"${COMPREPLY[@]}\"";
        Process process = new ProcessBuilder(List.of("bash", "-c", bash)).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.strip();
    }
}
