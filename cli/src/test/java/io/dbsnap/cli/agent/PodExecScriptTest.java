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

    /** As a pod exec runs it: stdin is never closed (the v4 protocol cannot), only fed. */
    private static Process fed(String script, byte[] input, long declared) throws Exception {
        PodExecScript exec = PodExecScript.of(Command.script("reader", script, List.of(), Map.of(), Set.of()))
                .feeding(declared);
        Process process = new ProcessBuilder(exec.argv(Map.of())).start();
        OutputStream in = process.getOutputStream();
        in.write(exec.stdinPrelude());
        in.write(input);
        in.flush();
        return process;
    }

    @Test
    void aFedCommandReadsExactlyTheDeclaredBytesAndSeesTheirEndThoughStdinStaysOpen() throws Exception {
        byte[] data = new byte[300_000];
        new java.util.Random(7).nextBytes(data);
        Process process = fed("sha256sum | cut -c1-64", data, data.length);
        assertThat(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("ended without stdin closing").isTrue();
        assertThat(process.exitValue()).as(new String(process.getErrorStream().readAllBytes())).isZero();
        assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip())
                .isEqualTo(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(data)));
        process.getOutputStream().close();
    }

    @Test
    void aCommandThatLeavesInputUnreadFailsEvenWhenItExitsZero() throws Exception {
        byte[] data = ("first line\n" + "x".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
        for (String partial : List.of("head -c 10 >/dev/null", "true", "read -r line; exit 0")) {
            Process process = fed(partial, data, data.length);
            assertThat(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(partial + ": " + err).isEqualTo(65);
            assertThat(err).contains("input bytes unread");
            process.getOutputStream().close();
        }
        // its own failure keeps its own status
        Process failing = fed("head -c 10 >/dev/null; exit 3", data, data.length);
        assertThat(failing.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(failing.exitValue()).isEqualTo(3);
        failing.getOutputStream().close();
    }

    @Test
    void withNothingToFeedTheCommandSeesTheEndAtOnce() throws Exception {
        Process process = fed("wc -c", new byte[0], 0);
        assertThat(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()).isEqualTo("0");
        assertThat(process.exitValue()).isZero();
        process.getOutputStream().close();
    }
}
