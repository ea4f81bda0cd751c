package io.dbsnap.operator;

import io.dbsnap.core.testing.WithPostgresAndS3;
import io.dbsnap.sandbox.OperatorProcess;
import io.dbsnap.sandbox.Sandbox;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas of the packaged operator, as the chart runs them (leader election on, one Lease in
 * the release's namespace): only the one holding the Lease reconciles, and when it stops the other
 * takes the Lease over and carries on.
 */
class LeaderElectionIT extends WithPostgresAndS3 {

    private static final String NS = "shop";
    private static final String BUCKET = "replicas";
    private static final String STARTED = "Started event processing for controller: databasesnapshot";
    private static final Path work = Path.of("target/e2e-leader").toAbsolutePath();
    private static Sandbox sandbox;
    private static KubernetesClient kube;
    private static OperatorProcess first;
    private static OperatorProcess second;

    @BeforeAll
    static void start() throws Exception {
        sandbox = EnginePods.ordersCluster(work, NS, pg, s3, BUCKET, EnginePods.packagedDbsnap());
        kube = sandbox.client();
    }

    @AfterAll
    static void stop() throws Exception {
        EnginePods.closeAll(first, second, sandbox);
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
    void onlyTheLeaderReconcilesAndTheOtherTakesOverWhenItStops() throws Exception {
        // each replica's identity is its pod's name, HOSTNAME in a pod
        first = EnginePods.operator(sandbox, work.resolve("a"), Map.of("HOSTNAME", "dbsnap-a"));
        await(() -> "dbsnap-a".equals(holder()) ? true : null);
        // the second with the chart's logging.json: one JSON object per line
        second = EnginePods.operator(sandbox, work.resolve("b"), Map.of("HOSTNAME", "dbsnap-b",
                "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true"));

        EnginePods.createOrdersSnapshot(kube, NS, "while-a-leads", BUCKET, s3.endpoint(), "");
        assertThat(await(() -> EnginePods.finalStatus(kube, NS, "while-a-leads")).getPhase()).isEqualTo("Succeeded");
        assertThat(holder()).isEqualTo("dbsnap-a");
        assertThat(Files.readString(first.log())).contains(STARTED);
        assertThat(Files.readString(second.log())).as("the follower reconciles nothing").doesNotContain(STARTED)
                .doesNotContain("while-a-leads");
        assertThat(kube.batch().v1().jobs().inNamespace(NS).list().getItems()).hasSize(1);

        long stopped = System.nanoTime();
        first.close();
        await(() -> "dbsnap-b".equals(holder()) ? true : null);
        Duration takeover = Duration.ofNanos(System.nanoTime() - stopped);
        // the new leader starts its controllers a moment after the Lease names it
        await(() -> readLog(second.log()).contains(STARTED) ? true : null);
        EnginePods.createOrdersSnapshot(kube, NS, "after-a-stopped", BUCKET, s3.endpoint(), "");
        assertThat(await(() -> EnginePods.finalStatus(kube, NS, "after-a-stopped")).getPhase()).isEqualTo("Succeeded");
        assertThat(second.isAlive()).isTrue();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(Files.readAllLines(second.log()).stream().filter(l -> l.startsWith("{")).map(l -> {
            try {
                return json.readTree(l);
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        }).filter(line -> line.path("message").asText().contains("Started event processing")).toList())
                .as("JSON log lines with level, logger and message").isNotEmpty()
                .allSatisfy(line -> assertThat(line.path("level").asText()).isEqualTo("INFO"));
        System.out.println("leader election: the follower took over " + takeover.toSeconds() + " s after the leader stopped");
    }

    private static String readLog(java.nio.file.Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String holder() {
        Lease lease = kube.leases().inNamespace(EnginePods.OPERATOR_NS).withName("dbsnap-operator").get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    private static <T> T await(Supplier<T> found) throws InterruptedException {
        return EnginePods.await(Duration.ofMinutes(2), found, work);
    }
}
