package io.dbsnap.operator;

import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
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
        sandbox = EnginePods.ordersCluster(work, NS, pg, s3, "namespaced", EnginePods.packagedDbsnap());
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
        EnginePods.closeAll(operator, sandbox);
    }

    @Test
    void snapshotsAndDeletesInItsNamespaceOnlyWithNothingForbidden() throws Exception {
        EnginePods.createOrdersSnapshot(kube, NS, "in-shop", "namespaced", s3.endpoint(), "deletionPolicy: Delete");
        EnginePods.createOrdersSnapshot(kube, "elsewhere", "not-mine", "namespaced", s3.endpoint(), "deletionPolicy: Delete");
        assertThat(await(() -> EnginePods.finalStatus(kube, NS, "in-shop")).getPhase()).isEqualTo("Succeeded");
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

    private static <T> T await(Supplier<T> found) throws InterruptedException {
        return EnginePods.await(Duration.ofMinutes(2), found, operator.log());
    }
}
