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
final class TestProcesses {

    private TestProcesses() {
    }

    /** Runs a command to its end with an optional stdin; returns stdout and stderr, fails on a non-zero exit. */
    static String run(List<String> argv, Map<String, String> env, String stdin) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", argv.subList(0, Math.min(argv.size(), 6))) + " failed: " + output);
        }
        return output;
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
