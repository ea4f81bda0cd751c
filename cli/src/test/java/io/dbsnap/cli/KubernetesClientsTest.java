package io.dbsnap.cli;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The exec WebSocket the agent opens offers no permessage-deflate: a server that accepts it (the sandbox's
 * does) makes every stdin frame of a restore go through Deflater, which held restores to 41 MB/s.
 */
class KubernetesClientsTest {

    private static final String RUNNING_POD = """
            {"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "db-0", "namespace": "x"},
             "spec": {"containers": [{"name": "db", "image": "postgres"}]},
             "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}],
                        "containerStatuses": [{"name": "db", "ready": true, "started": true,
                                               "state": {"running": {}}}]}}""";

    @Test
    void theAgentsExecRequestOffersNoCompression() throws Exception {
        assertThat(execUpgradeHeaders(KubernetesClients::open)).containsEntry("Upgrade", List.of("websocket"))
                .doesNotContainKey("Sec-websocket-extensions");
    }

    private static Map<String, List<String>> execUpgradeHeaders(
            Function<io.fabric8.kubernetes.client.Config, KubernetesClient> open) throws Exception {
        List<Map<String, List<String>>> seen = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().endsWith("/exec")) {
                seen.add(Map.copyOf(exchange.getRequestHeaders()));
                exchange.sendResponseHeaders(403, -1);
            } else { // fabric8 looks the pod up before it execs
                byte[] body = (exchange.getRequestURI().getQuery() == null ? RUNNING_POD
                        : "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":[" + RUNNING_POD + "]}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        try (KubernetesClient client = open.apply(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort()).withRequestRetryBackoffLimit(0)
                .build())) {
            assertThatThrownBy(() -> client.pods().inNamespace("x").withName("db-0").inContainer("db")
                    .redirectingInput().exec("true"));
        } finally {
            server.stop(0);
        }
        assertThat(seen).hasSize(1);
        return seen.get(0);
    }
}
