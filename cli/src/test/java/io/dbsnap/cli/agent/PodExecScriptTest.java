package io.dbsnap.cli.agent;

import io.dbsnap.core.process.Command;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The prelude a pod exec runs, run here by a real {@code sh}: the command arrives exactly, and only on stdin. */
class PodExecScriptTest {

    private static final List<String> ODD_ARGS = List.of("", "-n", "  leading and trailing  ", "a\\b\\\\c",
            "two\nlines", "ends in a newline\n", "\n", "'$(touch /tmp/pwned)' \"$HOME\" `id`", "Ünïcödé 🦀",
            "--dbsnap-boundary-lookalike");

    @Test
    void everyArgumentAndVariableArrivesExactlyAndTheRestOfStdinIsTheCommands() throws Exception {
        String script = "for a in \"$@\"; do printf '[%s]' \"$a\"; done; printf '|%s|' \"$SECRET_ONE\"; cat";
        Command command = Command.script("probe", script, ODD_ARGS, Map.of("SECRET_ONE", "p@ss word=1"),
                Set.of("p@ss word=1"));
        PodExecScript exec = PodExecScript.of(command);
        List<String> argv = exec.argv(Map.of("DEFAULTED", "${NOT_SET:-fallback}"));

        assertThat(String.join(" ", argv)).doesNotContain("p@ss").doesNotContain("touch").doesNotContain("for a in");
        assertThat(String.join(" ", argv).length()).isLessThan(1024);

        Process process = new ProcessBuilder(argv).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(exec.stdinPrelude());
            in.write("the command's own stdin\n".getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        process.getInputStream().transferTo(out);
        assertThat(process.waitFor()).as(new String(process.getErrorStream().readAllBytes())).isZero();

        StringBuilder expected = new StringBuilder();
        ODD_ARGS.forEach(a -> expected.append('[').append(a).append(']'));
        expected.append("|p@ss word=1|the command's own stdin\n");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString());
    }

    @Test
    void aDefaultFromTheImagesEnvironmentFillsOnlyWhatIsUnset() throws Exception {
        Command command = new Command(List.of("sh", "-c", "printf '%s,%s' \"$GIVEN\" \"$DEFAULTED\""),
                Map.of("GIVEN", "from the secret"), Set.of());
        PodExecScript exec = PodExecScript.of(command);
        Process process = new ProcessBuilder(exec.argv(Map.of("GIVEN", "${IMAGE_VALUE:-image}",
                "DEFAULTED", "${IMAGE_VALUE:-image}"))).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(exec.stdinPrelude());
        }
        assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("from the secret,image");
        assertThat(process.waitFor()).isZero();
    }
}
