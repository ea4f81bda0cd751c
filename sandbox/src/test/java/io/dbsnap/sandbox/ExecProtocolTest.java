package io.dbsnap.sandbox;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pod exec as the Kubernetes client speaks it to the sandbox: stdin in, stdout and stderr apart, the
 * exit code on the error channel, the container's environment (its Secret references resolved).
 */
class ExecProtocolTest {

    private static SandboxApiServer server;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        server = new SandboxApiServer().start(0);
        client = server.client();
        client.resource(new NamespaceBuilder().withNewMetadata().withName("x").endMetadata().build()).create();
        client.resource(new PodBuilder().withNewMetadata().withName("db-0").withNamespace("x").endMetadata()
                .withNewSpec().addNewContainer().withName("db").withImage("postgres:16")
                .addNewEnv().withName("POSTGRES_DB").withValue("orders").endEnv().endContainer().endSpec().build())
                .create();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private record Ran(String out, String err, int exit) {
    }

    private static Ran exec(String stdin, String... command) throws Exception {
        return exec(stdin, 8192, command);
    }

    private static Ran exec(String stdin, int slice, String... command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ExecWatch watch = client.pods().inNamespace("x").withName("db-0").inContainer("db")
                .redirectingInput().writingOutput(out).writingError(err).exec(command)) {
            if (stdin != null) {
                // (the exec protocol cannot say where stdin ends: the command reads as much as it expects)
                byte[] bytes = stdin.getBytes(StandardCharsets.UTF_8);
                for (int off = 0; off < bytes.length; off += slice) {
                    watch.getInput().write(bytes, off, Math.min(slice, bytes.length - off));
                    watch.getInput().flush();
                }
            }
            int exit = watch.exitCode().get(30, TimeUnit.SECONDS);
            return new Ran(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), exit);
        }
    }

    @Test
    void stdoutStderrAndTheExitCodeArriveApart() throws Exception {
        Ran ran = exec(null, "sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(ran.out()).isEqualTo("out\n");
        assertThat(ran.err()).isEqualTo("err\n");
        assertThat(ran.exit()).isEqualTo(3);
    }

    @Test
    void stdinReachesTheCommandWholeAndTheEnvironmentIsTheContainers() throws Exception {
        String big = "line of data\n".repeat(20_000);
        Ran ran = exec(big, "sh", "-c", "head -c " + big.length() + " | wc -c; echo \"$POSTGRES_DB\"");
        assertThat(ran.out()).isEqualTo(big.length() + "\norders\n");
        assertThat(ran.exit()).isZero();
    }

    @Test
    void manyMegabytesOfStdinArriveWholeIn32KiBWrites() throws Exception {
        String big = "0123456789abcdef".repeat(2 * 1024 * 1024);
        Ran ran = exec(big, 32 * 1024, "sh", "-c", "head -c " + big.length() + " | wc -c");
        assertThat(ran.out().strip()).isEqualTo(String.valueOf(big.length()));
        assertThat(ran.exit()).isZero();
    }

    /**
     * A command that does not read yet holds its client back, as a kubelet does: the sandbox once queued
     * everything a fast client sent, ran out of memory on a restore and dropped frames (bytes lost).
     */
    @Test
    void stdinForACommandThatDoesNotReadHoldsTheClientBackAndArrivesWhole(@TempDir Path dir) throws Exception {
        Path gate = dir.resolve("gate");
        Process mkfifo = new ProcessBuilder("mkfifo", gate.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        long total = 256L << 20;
        byte[] block = new byte[1 << 20];
        new Random(7).nextBytes(block);
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        AtomicLong written = new AtomicLong();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // the agent's client: Vert.x, which sends far faster than pg_restore reads
        try (KubernetesClient vertx = new KubernetesClientBuilder().withConfig(client.getConfiguration())
                .withHttpClientFactory(new VertxHttpClientFactory()).build();
             ExecWatch watch = vertx.pods().inNamespace("x").withName("db-0").inContainer("db").redirectingInput()
                     .writingOutput(out).exec("sh", "-c", "cat " + gate + " > /dev/null; head -c " + total
                             + " | sha256sum")) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    for (long at = 0; at < total; at += block.length) {
                        for (int off = 0; off < block.length; off += 32 * 1024) {
                            watch.getInput().write(block, off, 32 * 1024);
                            written.addAndGet(32 * 1024);
                        }
                    }
                    watch.getInput().flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            for (long at = 0; at < total; at += block.length) {
                sent.update(block);
            }
            Thread.sleep(2000);
            long whileNobodyReads = written.get();
            try (OutputStream open = Files.newOutputStream(gate)) {
                open.write('\n'); // the command starts reading
            }
            writer.get(2, TimeUnit.MINUTES);
            assertThat(watch.exitCode().get(2, TimeUnit.MINUTES)).isZero();
            // what waits: the client's own queue (16 MiB), the sandbox's (4 MiB), sockets and a pipe
            assertThat(whileNobodyReads).isLessThan(64L << 20);
            assertThat(out.toString(StandardCharsets.UTF_8).split(" ")[0])
                    .isEqualTo(HexFormat.of().formatHex(sent.digest()));
        }
    }

    @Test
    void anExecIntoAPodThatIsNotThereIsRefused() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        client.getMasterUrl().toURI().resolve("/api/v1/namespaces/x/pods/nope/exec?command=true")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"reason\":\"NotFound\"", "pods \\\"nope\\\" not found");
    }
}
