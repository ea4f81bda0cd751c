package io.dbsnap.operator;

import io.dbsnap.api.v1alpha1.restore.SnapshotRestore;
import io.dbsnap.api.v1alpha1.schedule.SnapshotSchedule;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotStatus;
import io.dbsnap.core.testing.WithPostgresAndS3;
import io.dbsnap.operator.common.Conditions;
import io.dbsnap.operator.job.JobAccess;
import io.dbsnap.sandbox.OperatorProcess;
import io.dbsnap.sandbox.Sandbox;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chart's RBAC is enough and not more. The packaged operator runs with the rendered chart's
 * ServiceAccount, ClusterRole and Lease Role, and the sandbox decides each of its requests by them
 * (escalation check and blockOwnerDeletion included). Every kind of work it does, end to end; then
 * every granted permission must have been used, or be one the operator grants on to a Job's Role
 * (Kubernetes lets it grant only what it holds). Without one rule, the work fails, saying so.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorRbacIT extends WithPostgresAndS3 {

    private static final String NS = "shop";
    private static final String BUCKET = "rbac";
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final Path work = Path.of("target/e2e-rbac").toAbsolutePath();
    /** Granted, and needed by code that this scenario does not reach; each with where it is needed. */
    private static final Map<String, String> NOT_REACHED = Map.of(
            "rbac.authorization.k8s.io roles update", "JobAccess.grant: a Role an interrupted reconcile left for another pod",
            "coordination.k8s.io leases update", "JOSDK's LeaderElectionManager checks it is held before it starts");
    private static Sandbox sandbox;
    private static OperatorProcess operator;
    private static KubernetesClient kube;
    private static ChartRelease release;

    @BeforeAll
    static void start() throws Exception {
        sandbox = EnginePods.ordersCluster(work, NS, pg, s3, BUCKET, EnginePods.packagedDbsnap());
        kube = sandbox.client();
        release = ChartRelease.render(EnginePods.OPERATOR_NS, EnginePods.chartValues());
        operator = EnginePods.operator(sandbox, work, Map.of("DBSNAP_CLEANUP_GIVE_UP_AFTER", "PT3S"), release);
    }

    @AfterAll
    static void stop() throws Exception {
        EnginePods.closeAll(operator, sandbox);
    }

    @Test
    @Order(2)
    @org.junit.jupiter.api.Timeout(value = 8, unit = java.util.concurrent.TimeUnit.MINUTES)
    void everyPermissionOfTheChartIsUsedOrGrantedOnAndNoneIsMissing() throws Exception {
        int logBefore = Files.readString(operator.log()).length();
        int deniedBefore = sandbox.api().denied(EnginePods.OPERATOR_NS, "dbsnap").size();
        // leader election: the Lease in the release's namespace, held by this operator
        Lease lease = await(() -> kube.leases().inNamespace(EnginePods.OPERATOR_NS).withName("dbsnap-operator").get());
        assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();

        // a snapshot, a schedule whose retention deletes one, a restore with its safety snapshot, a deletion
        EnginePods.createOrdersSnapshot(kube, NS, "first", BUCKET, s3.endpoint(), "");
        assertThat(awaitFinal("first").getPhase()).as(describe("first")).isEqualTo("Succeeded");
        kube.resource(kube.getKubernetesSerialization().unmarshal("""
                apiVersion: dbsnap.io/v1alpha1
                kind: SnapshotSchedule
                metadata: {name: minutely, namespace: %s}
                spec:
                  schedule: "* * * * *"
                  immediate: true
                  retention: {keepLast: 1}
                  snapshotTemplate:
                    spec:
                      source: {pod: {name: orders-db-0}}
                      storage:
                        s3: {bucket: %s, prefix: sched, endpoint: %s, credentialsSecret: {name: s3-creds}}
                """.formatted(NS, BUCKET, s3.endpoint()), SnapshotSchedule.class)).create();
        kube.resource(kube.getKubernetesSerialization().unmarshal("""
                apiVersion: dbsnap.io/v1alpha1
                kind: SnapshotRestore
                metadata: {name: back, namespace: %s}
                spec:
                  source: {snapshotRef: {name: first}}
                """.formatted(NS), SnapshotRestore.class)).create();
        SnapshotRestore restored = await(() -> {
            SnapshotRestore r = kube.resources(SnapshotRestore.class).inNamespace(NS).withName("back").get();
            return r.getStatus() != null && Set.of("Succeeded", "Failed").contains(r.getStatus().getPhase()) ? r : null;
        });
        assertThat(restored.getStatus().getPhase()).as(String.valueOf(restored.getStatus())).isEqualTo("Succeeded");
        assertThat(restored.getStatus().getPreRestoreSnapshot()).isNotBlank();
        kube.resources(DatabaseSnapshot.class).inNamespace(NS).withName("first").delete();
        await(() -> kube.resources(DatabaseSnapshot.class).inNamespace(NS).withName("first").get() == null ? true : null);
        await(() -> {
            SnapshotSchedule s = kube.resources(SnapshotSchedule.class).inNamespace(NS).withName("minutely").get();
            return s.getStatus() != null && s.getStatus().getRetention() != null
                    && s.getStatus().getRetention().getDeleted() >= 1 ? true : null;
        });

        assertThat(sandbox.api().denied(EnginePods.OPERATOR_NS, "dbsnap")).as("nothing was refused to the operator, "
                + "swallowed or not").hasSize(deniedBefore);
        assertThat(Files.readString(operator.log()).substring(logBefore)).doesNotContain("orbidden");
        Set<String> used = sandbox.api().allowed(EnginePods.OPERATOR_NS, "dbsnap");
        Set<String> granted = new TreeSet<>();
        expand(release.one(ClusterRole.class).getRules(), granted);
        expand(release.one(Role.class).getRules(), granted);
        // what each Job's Role holds, which Kubernetes lets the operator grant only if it holds it too
        Set<String> grantedOn = new TreeSet<>();
        JobAccess.toExecInto(kube.resources(DatabaseSnapshot.class).inNamespace(NS).withName("no-exec").get(), "job",
                "orders-db-0", Map.of()).stream().filter(Role.class::isInstance)
                .forEach(r -> expand(((Role) r).getRules(), grantedOn));
        assertThat(grantedOn).isNotEmpty();
        Set<String> unused = new TreeSet<>(granted);
        unused.removeAll(used);
        unused.removeAll(grantedOn);
        assertThat(unused).as("granted, never used, and not granted on to a Job (used: " + used + ")")
                .containsExactlyInAnyOrderElementsOf(NOT_REACHED.keySet());
    }

    @Test
    @Order(1)
    void withoutOneRuleTheSnapshotFailsSayingWhyAndTheOperatorGoesOn() throws Exception {
        ClusterRole role = release.one(ClusterRole.class);
        ClusterRole narrowed = kube.getKubernetesSerialization().clone(role);
        narrowed.setRules(role.getRules().stream().filter(r -> !r.getResources().contains("pods/exec")).toList());
        kube.resource(narrowed).update();
        try {
            EnginePods.createOrdersSnapshot(kube, NS, "no-exec", BUCKET, s3.endpoint(), "");
            DatabaseSnapshotStatus status = awaitFinal("no-exec");
            assertThat(status.getPhase()).isEqualTo("Failed");
            io.fabric8.kubernetes.api.model.Condition failed = Conditions.find(status.getConditions(), "Failed").orElseThrow();
            assertThat(failed.getReason()).isEqualTo("OperatorError");
            assertThat(failed.getMessage()).contains("forbidden", "pods/exec", "RBAC");
            assertThat(kube.batch().v1().jobs().inNamespace(NS).list().getItems())
                    .noneMatch(j -> j.getMetadata().getName().contains("no-exec"));
            List<Event> failures = kube.v1().events().inNamespace(NS).list().getItems().stream()
                    .filter(e -> "no-exec".equals(e.getInvolvedObject().getName()) && "ReconcileFailed".equals(e.getReason()))
                    .toList();
            assertThat(failures).singleElement().satisfies(e -> assertThat(e.getCount()).isGreaterThan(1));
        } finally {
            kube.resource(role).update();
        }
        assertThat(operator.isAlive()).isTrue();
    }

    private static void expand(List<PolicyRule> rules, Set<String> into) {
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        into.add(group + " " + resource + " " + verb);
                    }
                }
            }
        }
    }

    private static DatabaseSnapshotStatus awaitFinal(String name) throws InterruptedException {
        return await(() -> EnginePods.finalStatus(kube, NS, name));
    }

    private static String describe(String name) {
        DatabaseSnapshot current = kube.resources(DatabaseSnapshot.class).inNamespace(NS).withName(name).get();
        return EnginePods.describe(kube, work, NS, current == null ? null : current.getStatus(), name);
    }

    private static <T> T await(Supplier<T> found) throws InterruptedException {
        return EnginePods.await(TIMEOUT, found, operator.log());
    }
}
