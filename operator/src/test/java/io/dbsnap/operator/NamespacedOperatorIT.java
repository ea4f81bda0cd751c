package io.dbsnap.operator;

import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.core.testing.PgSampleData;
import io.dbsnap.core.testing.WithPostgresAndS3;
import io.dbsnap.sandbox.OperatorProcess;
import io.dbsnap.sandbox.Sandbox;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart with {@code watchNamespaces: [shop]}: the operator holds a Role in shop and nothing
 * cluster-wide, and under the sandbox's RBAC it snapshots, and deletes a snapshot with its data, in
 * shop without one forbidden request, and leaves other namespaces alone.
 */
class NamespacedOperatorIT extends WithPostgresAndS3 {

    private static final String NS = "shop";
    private static final Path work = Path.of("target/e2e-namespaced").toAbsolutePath();
    private static Sandbox sandbox;
    private static OperatorProcess operator;
    private static KubernetesClient kube;

    @BeforeAll
    static void start() throws Exception {
        EnginePods.deleteRecursively(work);
        Files.createDirectories(work);
        pg.createDatabase("orders");
        PgSampleData.load(pg, "orders");
        s3.createBucket("namespaced");
        sandbox = EnginePods.cluster(work, NS, pg);
        sandbox.namespace("elsewhere");
        kube = sandbox.client();
        Map<String, Object> values = new java.util.HashMap<>(EnginePods.chartValues());
        values.put("watchNamespaces", List.of(NS));
        ChartRelease release = ChartRelease.render(EnginePods.OPERATOR_NS, values);
        assertThat(release.all(ClusterRole.class)).isEmpty();
        assertThat(release.all(Role.class)).extracting(r -> r.getMetadata().getNamespace())
                .containsExactlyInAnyOrder(NS, EnginePods.OPERATOR_NS);
        operator = EnginePods.operator(sandbox, work, Map.of(), release);
    }

    @AfterAll
    static void stop() throws Exception {
        if (operator != null) {
            operator.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void snapshotsAndDeletesInItsNamespaceOnlyWithNothingForbidden() throws Exception {
        create(NS, "in-shop");
        create("elsewhere", "not-mine");
        assertThat(await(() -> phase(NS, "in-shop"))).isEqualTo("Succeeded");
        assertThat(kube.resources(DatabaseSnapshot.class).inNamespace(NS).withName("in-shop").get().getMetadata()
                .getFinalizers()).as("deletionPolicy Delete").isNotEmpty();
        kube.resources(DatabaseSnapshot.class).inNamespace(NS).withName("in-shop").delete();
        await(() -> kube.resources(DatabaseSnapshot.class).inNamespace(NS).withName("in-shop").get() == null ? true : null);
        assertThat(s3.keys("namespaced")).as("its stored data went with it").isEmpty();
        assertThat(kube.resources(DatabaseSnapshot.class).inNamespace("elsewhere").withName("not-mine").get().getStatus())
                .as("a namespace it does not watch").isNull();
        assertThat(Files.readString(operator.log())).doesNotContain("orbidden");
        assertThat(operator.isAlive()).isTrue();
    }

    private static void create(String namespace, String name) {
        kube.resource(kube.getKubernetesSerialization().unmarshal("""
                apiVersion: dbsnap.io/v1alpha1
                kind: DatabaseSnapshot
                metadata: {name: %s, namespace: %s}
                spec:
                  deletionPolicy: Delete
                  source: {pod: {name: orders-db-0}}
                  storage:
                    s3: {bucket: namespaced, prefix: prod, endpoint: %s, credentialsSecret: {name: s3-creds}}
                """.formatted(name, namespace, s3.endpoint()), DatabaseSnapshot.class)).create();
    }

    private static String phase(String namespace, String name) {
        DatabaseSnapshot s = kube.resources(DatabaseSnapshot.class).inNamespace(namespace).withName(name).get();
        String phase = s == null || s.getStatus() == null ? null : s.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase) ? phase : null;
    }

    private static <T> T await(Supplier<T> found) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            T value = found.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not within 2 minutes; see " + operator.log());
    }
}
