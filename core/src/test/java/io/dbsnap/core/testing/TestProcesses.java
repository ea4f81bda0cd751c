package io.dbsnap.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What the throwaway servers share: running a tool to its end, stopping a server, removing its directory. */
public final class TestProcesses {

    private TestProcesses() {
    }

    /** How long a test's tool may run before it is killed and its test fails. */
    private static final long TOOL_TIMEOUT_MINUTES = 4;

    /**
     * Runs a command to its end with an optional stdin; returns stdout and stderr, fails on a non-zero
     * exit. Input and output go through files, not pipes, so a tool that writes much while it reads,
     * or one that hangs, cannot hang the test: it is waited for with a deadline and then killed.
     */
    public static String run(List<String> argv, Map<String, String> env, String stdin) throws IOException, InterruptedException {
        Path in = Files.createTempFile("dbsnap-tool-in-", ".txt");
        Path out = Files.createTempFile("dbsnap-tool-out-", ".txt");
        try {
            Files.writeString(in, stdin == null ? "" : stdin, StandardCharsets.UTF_8);
            ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectInput(in.toFile()).redirectOutput(out.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            String command = String.join(" ", argv.subList(0, Math.min(argv.size(), 6)));
            if (!process.waitFor(TOOL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly().waitFor();
                throw new IOException(command + " did not finish within " + TOOL_TIMEOUT_MINUTES + " min: "
                        + new String(Files.readAllBytes(out), StandardCharsets.UTF_8));
            }
            String output = new String(Files.readAllBytes(out), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IOException(command + " failed: " + output);
            }
            return output;
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    /** Stops a server process and removes its directory. */
    static void stopAndDelete(Process server, Path dir) throws Exception {
        try {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
