package io.dbsnap.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged operator ({@code operator/target/quarkus-app/quarkus-run.jar}) as a process talking to
 * the sandbox's API server: the same program a cluster runs, configured the way the chart does it,
 * through the environment.
 */
public final class OperatorProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private OperatorProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static OperatorProcess start(Path quarkusRunJar, String apiServerUrl, Map<String, String> settings, Path log)
            throws IOException {
        if (!Files.isRegularFile(quarkusRunJar)) {
            throw new IllegalStateException(quarkusRunJar + " not found: build the operator first (make build)");
        }
        return start(List.of(javaBinary(), "-XX:+UseSerialGC", "-Xmx256m", "-jar", quarkusRunJar.toString()),
                apiServerUrl, settings, log);
    }

    /** The operator started by {@code command}, e.g. its image's entrypoint run in the unpacked image. */
    public static OperatorProcess start(List<String> command, String apiServerUrl, Map<String, String> settings, Path log)
            throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Map<String, String> env = new LinkedHashMap<>(ContainerEnvironment.base());
        // fabric8's own settings: Quarkus fixes its quarkus.kubernetes-client.* ones at build time
        env.put("KUBERNETES_MASTER", apiServerUrl);
        env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
        env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
        env.put("QUARKUS_HTTP_PORT", "0");
        env.putAll(settings);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        return new OperatorProcess(builder.start(), log);
    }

    /** Waits until the operator says it has started its controllers. */
    public OperatorProcess awaitStarted(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            if (text.contains("Installed features")) {
                return this;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the operator exited with status " + process.exitValue() + ":\n" + text);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the operator did not start within " + timeout + "; see " + log);
    }

    /** Where the operator's HTTP server listens (probes, metrics), from its start-up line: it picks a free port. */
    public String httpUrl() throws IOException {
        java.util.regex.Matcher listening = java.util.regex.Pattern.compile("Listening on: http://[^:\\s]+:(\\d+)")
                .matcher(Files.readString(log));
        if (!listening.find()) {
            throw new IllegalStateException("the operator's log names no HTTP port; see " + log);
        }
        return "http://127.0.0.1:" + listening.group(1);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
