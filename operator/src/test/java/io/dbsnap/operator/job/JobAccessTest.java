package io.dbsnap.operator.job;

import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.operator.common.Ownership;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JobAccessTest {

    private static final HasMetadata OWNER = owner();

    private static DatabaseSnapshot owner() {
        DatabaseSnapshot snapshot = new DatabaseSnapshot();
        snapshot.setMetadata(new ObjectMetaBuilder().withName("orders-nightly").withNamespace("prod").withUid("uid-1")
                .build());
        return snapshot;
    }

    private static List<HasMetadata> access() {
        return JobAccess.toExecInto(OWNER, "snapshot-orders-nightly-abc123", "orders-db-0", Map.of("app", "dbsnap"));
    }

    @Test
    void theRoleMayReadAndExecIntoTheOnePodAnnotateItsOwnJobAndNothingElse() {
        Role role = (Role) access().get(1);
        assertThat(role.getRules()).extracting(PolicyRule::getResources)
                .containsExactly(List.of("pods"), List.of("pods/exec"), List.of("jobs"));
        assertThat(role.getRules().subList(0, 2)).allSatisfy(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("");
            assertThat(rule.getResourceNames()).containsExactly("orders-db-0");
        });
        // no list or watch: those cannot be limited to a name, and a pod list shows every pod's environment
        assertThat(role.getRules().get(0).getVerbs()).containsExactly("get", "list", "watch");
        assertThat(role.getRules().get(1).getVerbs()).containsExactlyInAnyOrder("create", "get");
        // its own Job, for the progress annotation: not another Job, and no create or delete
        PolicyRule job = role.getRules().get(2);
        assertThat(job.getApiGroups()).containsExactly("batch");
        assertThat(job.getResourceNames()).containsExactly("snapshot-orders-nightly-abc123");
        assertThat(job.getVerbs()).containsExactlyInAnyOrder("get", "patch");
    }

    @Test
    void theBindingTiesTheJobsOwnAccountToItsOwnRole() {
        ServiceAccount account = (ServiceAccount) access().get(0);
        RoleBinding binding = (RoleBinding) access().get(2);
        assertThat(account.getMetadata().getName()).isEqualTo("snapshot-orders-nightly-abc123");
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getName()).isEqualTo("snapshot-orders-nightly-abc123");
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo(account.getMetadata().getName());
            assertThat(subject.getNamespace()).isEqualTo("prod");
        });
    }

    @Test
    void everyObjectIsControlledByTheSnapshotSoItGoesWithIt() {
        assertThat(access()).allSatisfy(object -> {
            assertThat(object.getMetadata().getNamespace()).isEqualTo("prod");
            assertThat(Ownership.isControlledBy(object, "uid-1")).isTrue();
            assertThat(Ownership.isControlledBy(object, "uid-2")).isFalse();
            assertThat(object.getMetadata().getLabels()).containsEntry("app", "dbsnap")
                    .containsEntry("app.kubernetes.io/component", "snapshot-job-access");
        });
    }

    @Test
    void onlyAControllerReferenceWithTheOwnersUidCounts() {
        HasMetadata foreign = new ConfigMapBuilder().withNewMetadata().withName("x")
                .addNewOwnerReference().withUid("uid-1").withController(false).withKind("DatabaseSnapshot")
                .withName("orders-nightly").endOwnerReference().endMetadata().build();
        HasMetadata none = new ConfigMapBuilder().withNewMetadata().withName("y").endMetadata().build();
        assertThat(Ownership.isControlledBy(foreign, "uid-1")).isFalse();
        assertThat(Ownership.isControlledBy(none, "uid-1")).isFalse();
        assertThat(Ownership.isControlledBy(access().get(0), null)).isFalse();
    }
}
