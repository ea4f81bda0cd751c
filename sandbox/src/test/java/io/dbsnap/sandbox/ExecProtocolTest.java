package io.dbsnap.sandbox;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

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

    @Test
    void anExecIntoAPodThatIsNotThereIsRefused() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        client.getMasterUrl().toURI().resolve("/api/v1/namespaces/x/pods/nope/exec?command=true")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"reason\":\"NotFound\"", "pods \\\"nope\\\" not found");
    }
}
