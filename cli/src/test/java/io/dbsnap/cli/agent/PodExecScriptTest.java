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

    @Test
    void onATerminalNothingOfThePreludeIsEchoedAndTheCommandGetsTheTerminalBack() throws Exception {
        String probe = "[ -t 0 ] && echo stdin-is-a-terminal; stty -a | tr ' ' '\\n' | grep -x -e echo -e -echo; "
                + "printf '%s|%s|%s\\n' \"$TERM\" \"${SECRET_ONE:+secret-set}\" \"$1\"; IFS= read -r line; echo \"read:$line\"";
        Command command = Command.script("probe", probe, List.of("an 'argument'"),
                Map.of("SECRET_ONE", "p@ss word=1"), Set.of("p@ss word=1"));
        PodExecScript exec = PodExecScript.of(command).onTerminal("xterm-kitty");
        // util-linux script(1) gives the command a pseudo-terminal with echo on, as a kubelet's tty=true does
        StringBuilder line = new StringBuilder();
        for (String arg : exec.argv(Map.of())) {
            line.append(" '").append(arg.replace("'", "'\\''")).append('\'');
        }
        Process process = new ProcessBuilder("script", "-qec", line.toString(), "/dev/null").start();
        java.io.InputStream out = process.getInputStream();
        String before = upTo(out, exec.readyMarker());
        OutputStream in = process.getOutputStream();
        in.write(exec.stdinPrelude());
        in.flush();
        String starting = upTo(out, exec.startedMarker());
        // typed once the command asks for it, so its echo does not mix with the lines before
        String after = upTo(out, "|an 'argument'".getBytes(StandardCharsets.UTF_8)) + "|an 'argument'\n";
        in.write("typed by a person\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        after += new String(out.readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        in.close();

        assertThat(before).isEmpty();
        assertThat(starting).isEmpty();
        assertThat(after).doesNotContain("p@ss").doesNotContain("SECRET_ONE").doesNotContain("--dbsnap-")
                .contains("stdin-is-a-terminal", "xterm-kitty|secret-set|an 'argument'");
        // echo is back on for the command: the person's line is echoed once, then read whole
        assertThat(after.lines().map(String::strip).toList()).containsSubsequence("echo", "typed by a person",
                "read:typed by a person").doesNotContain("-echo");
        assertThat(process.exitValue()).isZero();
    }

    /** The output before {@code marker}, which is consumed with the rest of its line. */
    private static String upTo(java.io.InputStream out, byte[] marker) throws java.io.IOException {
        String wanted = new String(marker, StandardCharsets.UTF_8);
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        while (!seen.toString(StandardCharsets.UTF_8).endsWith(wanted)) {
            int b = out.read();
            assertThat(b).as("the output ended before " + wanted + ": " + seen).isNotNegative();
            seen.write(b);
        }
        if (!wanted.endsWith("\n")) {
            int b;
            while ((b = out.read()) >= 0 && b != '\n') {
                assertThat((char) b).as("after the marker").isEqualTo('\r');
            }
        }
        String all = seen.toString(StandardCharsets.UTF_8);
        return all.substring(0, all.length() - wanted.length());
    }
}
