package io.dbsnap.operator.restore;

import io.dbsnap.api.job.FailureReason;
import io.dbsnap.api.job.RestoreJobResult;
import io.dbsnap.api.job.TerminationMessage;
import io.dbsnap.api.v1alpha1.restore.SnapshotRestore;
import io.dbsnap.api.v1alpha1.restore.SnapshotRestoreStatus;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotStatus;
import io.dbsnap.operator.common.TestConfig;
import io.dbsnap.operator.job.FakeContext;
import io.dbsnap.operator.snapshot.TestApi;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The restore reconciler's steps, one {@code reconcile} at a time, against the sandbox's API server:
 * which Job it makes with which arguments, when it takes the safety snapshot, what it refuses. The
 * Jobs never run here; their results are written as a kubelet would (the end-to-end test runs them).
 */
class SnapshotRestoreReconcilerTest {

    private static final String NS = TestApi.NS;
    private static final String SHA = "sha256:" + "ab".repeat(32);
    private static final String PATH = "prod/orders-db-0/20261201-000000-base/";
    private static final String LOCATION = "s3://snaps/" + PATH;
    private static TestApi api;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        api = new TestApi();
        client = api.client;
        client.resource(new PodBuilder().withNewMetadata().withName("orders-db-0").withNamespace(NS).endMetadata()
                .withNewSpec().addNewContainer().withName("postgres").withImage("postgres:16").endContainer().endSpec()
                .build()).create();
        client.resource(new PodBuilder().withNewMetadata().withName("vault-db-0").withNamespace(NS)
                .withAnnotations(Map.of(TargetProtection.ANNOTATION, "true")).endMetadata()
                .withNewSpec().addNewContainer().withName("postgres").withImage("postgres:16").endContainer().endSpec()
                .build()).create();
        succeededSnapshot("base", LOCATION, "");
    }

    /** A Succeeded snapshot of orders-db-0's database orders, stored at {@code location}; {@code metadata} adds to its metadata. */
    private static DatabaseSnapshot succeededSnapshot(String name, String location, String metadata) {
        DatabaseSnapshot snapshot = client.resource(io.dbsnap.operator.snapshot.Snapshots.parse("""
                apiVersion: dbsnap.io/v1alpha1
                kind: DatabaseSnapshot
                metadata: {name: %s, namespace: %s%s}
                spec:
                  source: {pod: {name: orders-db-0}, database: orders}
                  storage: {s3: {bucket: snaps, credentialsSecret: {name: s3-creds}}}
                """.formatted(name, NS, metadata))).create();
        DatabaseSnapshotStatus status = new DatabaseSnapshotStatus();
        status.setPhase("Succeeded");
        status.setLocation(location);
        status.setChecksum(SHA);
        status.setEngine("postgresql");
        snapshot.setStatus(status);
        return client.resource(snapshot).updateStatus();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    /** The operator's one queue, shared by every reconcile of these tests as by the operator's reconcilers. */
    private static io.dbsnap.operator.snapshot.SnapshotQueue QUEUE;

    @org.junit.jupiter.api.BeforeEach
    void newQueue() {
        // each test's restores claim orders-db-0 afresh: one left by another test would go first
        QUEUE = new io.dbsnap.operator.snapshot.SnapshotQueue(new io.dbsnap.operator.snapshot.SnapshotQueue.Limits(1, 0));
        // and no Job another test left running: a restore Job waits for every other Job reading or writing its pod
        client.batch().v1().jobs().inNamespace(NS).delete();
    }

    private static SnapshotRestoreReconciler reconciler() {
        SnapshotRestoreReconciler reconciler = new SnapshotRestoreReconciler();
        reconciler.config = TestConfig.of("ghcr.io/dbsnap/dbsnap:test", Duration.ofMinutes(5), Set.of());
        reconciler.clock = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
        reconciler.snapshotQueue = QUEUE;
        return reconciler;
    }

    private static SnapshotRestore created(String name, String specExtra) {
        return createdOf(name, "base", specExtra);
    }

    /** A restore {@code name} of DatabaseSnapshot {@code snapshot}, made on the API server. */
    private static SnapshotRestore createdOf(String name, String snapshot, String specExtra) {
        SnapshotRestore restore = client.getKubernetesSerialization().unmarshal("""
                apiVersion: dbsnap.io/v1alpha1
                kind: SnapshotRestore
                metadata: {name: %s, namespace: %s}
                spec:
                  source: {snapshotRef: {name: %s}}
                %s""".formatted(name, NS, snapshot, specExtra), SnapshotRestore.class);
        return client.resource(restore).create();
    }

    /** One reconcile; the status it would patch is kept on the resource for the next one. */
    private static SnapshotRestoreStatus reconcile(SnapshotRestore restore) {
        UpdateControl<SnapshotRestore> control = reconciler().reconcile(restore, new FakeContext<>(client, restore,
                null));
        SnapshotRestoreStatus status = control.getResource().map(SnapshotRestore::getStatus).orElse(restore.getStatus());
        restore.setStatus(status);
        return status;
    }

    /** The Job finished as the kubelet reports it: Complete, and a pod of its own with the result. */
    private static void finish(String jobName, RestoreJobResult result) {
        Job job = get(Job.class, jobName);
        job.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().withStartTime(
                "2026-12-02T10:00:00Z").withConditions(new JobConditionBuilder().withType("Complete").withStatus("True")
                .build()).build());
        client.resource(job).updateStatus();
        client.resource(new PodBuilder().withNewMetadata().withName(jobName + "-pod").withNamespace(NS)
                .withLabels(Map.of("job-name", jobName)).addNewOwnerReference().withApiVersion("batch/v1").withKind("Job")
                .withName(jobName).withUid(job.getMetadata().getUid()).withController(true).endOwnerReference()
                .endMetadata().withNewSpec().addNewContainer().withName("dbsnap").withImage("x").endContainer().endSpec()
                .withNewStatus().addNewContainerStatus().withName("dbsnap").withNewState().withNewTerminated()
                .withExitCode(0).withMessage(TerminationMessage.write(result)).endTerminated().endState()
                .endContainerStatus().endStatus().build()).create();
    }

    private static RestoreJobResult verified(String location, List<String> plan) {
        return new RestoreJobResult(true, null, null, "20261201-000000-base", location, SHA, "postgresql", "16.4",
                "2026-12-01T00:00:00Z", "16.4", 0L, 1000L, false, false, false, "orders", plan, null);
    }

    private static List<String> args(String jobName) {
        return get(Job.class, jobName).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    }

    private static Condition condition(SnapshotRestoreStatus status, String type) {
        return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    private static <T extends HasMetadata> T get(Class<T> type, String name) {
        return api.get(type, name);
    }

    @Test
    void aDryRunIsTheVerifyJobAloneAndEndsWithItsPlan() {
        SnapshotRestore restore = created("plan", "  dryRun: true\n");
        SnapshotRestoreStatus first = reconcile(restore);

        String verifyJob = RestoreJobFactory.verifyJobName(restore);
        assertThat(first.getPhase()).isEqualTo("Pending");
        assertThat(first.getJobName()).isEqualTo(verifyJob);
        assertThat(first.getTarget()).as("the snapshot's own source").isEqualTo(NS + "/orders-db-0/orders");
        assertThat(args(verifyJob)).contains("agent", "restore", "--dry-run", "--snapshot=" + PATH, "--sha256=" + SHA,
                "--pod=orders-db-0", "--database=orders");

        finish(verifyJob, verified(LOCATION, List.of("restore into database orders", "replace table public.t")));
        SnapshotRestoreStatus done = reconcile(restore);

        assertThat(done.getPhase()).isEqualTo("Succeeded");
        assertThat(condition(done, "Complete").getReason()).isEqualTo("DryRunComplete");
        assertThat(done.getPlan()).containsExactly("restore into database orders", "replace table public.t");
        assertThat(done.getVerifiedChecksum()).isEqualTo(SHA);
        assertThat(get(DatabaseSnapshot.class, PreRestoreSnapshots.name(restore))).as("no safety snapshot").isNull();
        assertThat(get(Job.class, RestoreJobFactory.restoreJobName(restore))).as("no restore Job").isNull();
        assertThat(get(ServiceAccount.class, verifyJob)).as("access revoked").isNull();
    }

    @Test
    void aVerifyJobWhosePodFitsNoNodeSaysSoWhileItWaits() {
        SnapshotRestore restore = created("unschedulable", "");
        reconcile(restore);
        String verifyJob = RestoreJobFactory.verifyJobName(restore);
        Job job = get(Job.class, verifyJob);
        client.resource(new PodBuilder().withNewMetadata().withName(verifyJob + "-pod").withNamespace(NS)
                .withLabels(Map.of("job-name", verifyJob)).addNewOwnerReference().withApiVersion("batch/v1").withKind("Job")
                .withName(verifyJob).withUid(job.getMetadata().getUid()).withController(true).endOwnerReference()
                .endMetadata().withNewSpec().addNewContainer().withName("dbsnap").withImage("x").endContainer().endSpec()
                .withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage("0/3 nodes are available: 3 Insufficient cpu.").endCondition()
                .endStatus().build()).create();

        SnapshotRestoreStatus waiting = reconcile(restore);

        assertThat(waiting.getPhase()).isEqualTo("Pending");
        assertThat(condition(waiting, "Complete").getReason()).isEqualTo("JobNotStarting");
        assertThat(condition(waiting, "Complete").getMessage()).isEqualTo("Job " + verifyJob + " cannot start: "
                + "Unschedulable: 0/3 nodes are available: 3 Insufficient cpu.; it keeps trying until its "
                + "activeDeadlineSeconds");
        assertThat(get(Job.class, RestoreJobFactory.restoreJobName(restore))).as("nothing after it").isNull();
    }

    @Test
    void theSafetySnapshotComesAfterVerificationAndTheRestoreAfterItPinnedToWhatWasVerified() {
        SnapshotRestore restore = created("full", "");
        reconcile(restore);
        String verifyJob = RestoreJobFactory.verifyJobName(restore);
        assertThat(get(DatabaseSnapshot.class, PreRestoreSnapshots.name(restore))).as("not before verifying").isNull();

        finish(verifyJob, verified(LOCATION, List.of("replace table public.t")));
        SnapshotRestoreStatus waiting = reconcile(restore);

        DatabaseSnapshot safety = get(DatabaseSnapshot.class, PreRestoreSnapshots.name(restore));
        assertThat(waiting.getPhase()).isEqualTo("Running");
        assertThat(waiting.getPreRestoreSnapshot()).isEqualTo(safety.getMetadata().getName());
        assertThat(safety.getMetadata().getOwnerReferences()).as("kept when the restore goes").isNullOrEmpty();
        assertThat(safety.getMetadata().getLabels()).containsEntry(RestoreJobFactory.LABEL_RESTORE, "full");
        assertThat(safety.getSpec().getSource().getPod().getName()).isEqualTo("orders-db-0");
        assertThat(safety.getSpec().getTag()).isEqualTo("pre-restore");
        assertThat(get(Job.class, RestoreJobFactory.restoreJobName(restore))).as("not before the safety snapshot").isNull();
        assertThat(reconcile(restore)).as("still waiting: nothing to write").isEqualTo(waiting);

        DatabaseSnapshotStatus succeeded = new DatabaseSnapshotStatus();
        succeeded.setPhase("Succeeded");
        safety.setStatus(succeeded);
        client.resource(safety).updateStatus();
        SnapshotRestoreStatus restoring = reconcile(restore);

        String restoreJob = RestoreJobFactory.restoreJobName(restore);
        assertThat(restoring.getJobName()).isEqualTo(restoreJob);
        assertThat(args(restoreJob)).contains("--sha256=" + SHA).doesNotContain("--dry-run");
    }

    @Test
    void anEncryptedSnapshotsIdentityReachesItsJobsOnlyFromItsSecretAndTheSafetySnapshotIsEncryptedToo() {
        String recipient = io.dbsnap.core.crypto.AgeKeys.generate().recipient();
        io.dbsnap.core.crypto.AgeKeys.Generated key = io.dbsnap.core.crypto.AgeKeys.generate();
        SnapshotRestore missing = created("encrypted-no-secret", """
                  decryption: {identitySecret: {name: age-identity, key: key.txt}}
                """);
        SnapshotRestoreStatus refused = reconcile(missing);
        assertThat(refused.getPhase()).isEqualTo("Failed");
        assertThat(condition(refused, "Failed").getReason()).isEqualTo("SecretNotFound");
        assertThat(condition(refused, "Failed").getMessage()).contains("age-identity", "spec.decryption.identitySecret",
                "key.txt");

        client.resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName("age-identity")
                .withNamespace(NS).endMetadata().withStringData(Map.of("key.txt", key.identity() + "\n")).build())
                .create();
        SnapshotRestore restore = created("encrypted", """
                  decryption: {identitySecret: {name: age-identity, key: key.txt}}
                """);
        reconcile(restore);
        String verifyJob = RestoreJobFactory.verifyJobName(restore);
        RestoreJobResult result = verified(LOCATION, List.of("replace table public.t"));
        finish(verifyJob, new RestoreJobResult(true, null, null, result.snapshotId(), result.location(),
                result.checksum(), result.engine(), result.engineVersion(), result.takenAt(), result.targetVersion(),
                0L, 1000L, false, false, false, "orders", result.plan(), List.of(recipient)));
        SnapshotRestoreStatus waiting = reconcile(restore);
        assertThat(waiting.getRecipients()).containsExactly(recipient);
        DatabaseSnapshot safety = get(DatabaseSnapshot.class, PreRestoreSnapshots.name(restore));
        assertThat(safety.getSpec().getEncryption().getRecipients()).containsExactly(recipient);

        DatabaseSnapshotStatus succeeded = new DatabaseSnapshotStatus();
        succeeded.setPhase("Succeeded");
        safety.setStatus(succeeded);
        client.resource(safety).updateStatus();
        reconcile(restore);
        for (String jobName : List.of(verifyJob, RestoreJobFactory.restoreJobName(restore))) {
            Job job = get(Job.class, jobName);
            String serialized = client.getKubernetesSerialization().asYaml(job);
            assertThat(serialized).as(jobName).doesNotContain(key.identity()).doesNotContain("AGE-SECRET-KEY");
            io.fabric8.kubernetes.api.model.EnvVar identity = job.getSpec().getTemplate().getSpec().getContainers()
                    .get(0).getEnv().stream().filter(e -> e.getName().equals("DBSNAP_AGE_IDENTITY")).findFirst()
                    .orElseThrow();
            assertThat(identity.getValue()).isNull();
            assertThat(identity.getValueFrom().getSecretKeyRef().getName()).isEqualTo("age-identity");
            assertThat(identity.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("key.txt");
        }
        // the safety snapshot's own Job holds public keys only
        assertThat(client.getKubernetesSerialization().asYaml(safety)).doesNotContain("AGE-SECRET-KEY")
                .doesNotContain("age-identity");
        assertThat(client.getKubernetesSerialization().asYaml(client.resources(SnapshotRestore.class).inNamespace(NS)
                .withName("encrypted").get())).doesNotContain("AGE-SECRET-KEY");
    }

    @Test
    void aVerifyResultAboutAnotherLocationIsNotBelieved() {
        SnapshotRestore restore = created("elsewhere", "");
        reconcile(restore);
        finish(RestoreJobFactory.verifyJobName(restore), verified("s3://snaps/prod/other/20261201-000000-x/", List.of()));

        SnapshotRestoreStatus status = reconcile(restore);

        assertThat(status.getPhase()).isEqualTo("Failed");
        assertThat(condition(status, "Failed").getReason()).isEqualTo(FailureReason.RESULT_MISSING);
        assertThat(get(DatabaseSnapshot.class, PreRestoreSnapshots.name(restore))).isNull();
    }

    @Test
    void aProtectedTargetWithoutItsIdentityGetsNoJobAndAMessageThatSaysWhatToWrite() {
        SnapshotRestore restore = created("guarded", "  target: {pod: {name: vault-db-0}, database: vault}\n"
                + "  confirm: prod/vault-db-0/orders\n");
        SnapshotRestoreStatus status = reconcile(restore);

        assertThat(status.getPhase()).isEqualTo("Failed");
        assertThat(condition(status, "Failed").getReason()).isEqualTo(FailureReason.TARGET_PROTECTED);
        assertThat(condition(status, "Failed").getMessage()).contains("spec.confirm: prod/vault-db-0/vault")
                .contains("The target was not changed");
        assertThat(get(Job.class, RestoreJobFactory.verifyJobName(restore))).isNull();
        assertThat(get(ServiceAccount.class, RestoreJobFactory.verifyJobName(restore))).isNull();

        SnapshotRestore confirmed = created("guarded-ok", "  target: {pod: {name: vault-db-0}, database: vault}\n"
                + "  confirm: prod/vault-db-0/vault\n");
        assertThat(reconcile(confirmed).getJobName()).isEqualTo(RestoreJobFactory.verifyJobName(confirmed));
    }

    @Test
    void aSafetySnapshotNameTakenBySomeoneElseIsNeitherTrustedNorTouched() {
        SnapshotRestore restore = created("squatted", "");
        DatabaseSnapshot foreign = client.resource(io.dbsnap.operator.snapshot.Snapshots.parse("""
                apiVersion: dbsnap.io/v1alpha1
                kind: DatabaseSnapshot
                metadata: {name: %s, namespace: %s}
                spec:
                  source: {pod: {name: orders-db-0}}
                  storage: {s3: {bucket: snaps, credentialsSecret: {name: s3-creds}}}
                """.formatted(PreRestoreSnapshots.name(restore), NS))).create();
        DatabaseSnapshotStatus done = new DatabaseSnapshotStatus();
        done.setPhase("Succeeded");
        foreign.setStatus(done);
        client.resource(foreign).updateStatus();
        reconcile(restore);
        finish(RestoreJobFactory.verifyJobName(restore), verified(LOCATION, List.of()));

        SnapshotRestoreStatus status = reconcile(restore);

        assertThat(status.getPhase()).isEqualTo("Failed");
        assertThat(condition(status, "Failed").getReason()).isEqualTo(FailureReason.JOB_CONFLICT);
        assertThat(get(Job.class, RestoreJobFactory.restoreJobName(restore))).isNull();
        assertThat(get(DatabaseSnapshot.class, foreign.getMetadata().getName()).getSpec().getSource().getDatabase())
                .isNull();
    }

    /**
     * A snapshot being deleted is not chosen by a new restore; a restore that made its Job before the snapshot was
     * deleted reads it to the end, also when its status write was lost (the snapshot's finalizer keeps the data).
     */
    @Test
    void aSnapshotBeingDeletedIsNoNewSourceButARestoreWithAJobGoesOn() {
        DatabaseSnapshot going = succeededSnapshot("going", "s3://snaps/prod/orders-db-0/20261201-000000-going/",
                ", finalizers: [dbsnap.io/test-holds-it]");
        SnapshotRestore underWay = createdOf("under-way", "going", "  preRestoreSnapshot: false\n");
        assertThat(reconcile(underWay).getJobName()).isEqualTo(RestoreJobFactory.restoreJobName(underWay));
        client.resource(going).delete();
        SnapshotRestore tooLate = createdOf("too-late", "going", "");

        SnapshotRestoreStatus refused = reconcile(tooLate);
        assertThat(refused.getPhase()).isEqualTo("Failed");
        assertThat(condition(refused, "Failed").getReason()).isEqualTo(FailureReason.SNAPSHOT_NOT_FOUND);
        assertThat(condition(refused, "Failed").getMessage()).contains("DatabaseSnapshot prod/going is being deleted");
        assertThat(get(Job.class, RestoreJobFactory.verifyJobName(tooLate))).isNull();

        underWay.setStatus(null);
        assertThat(reconcile(underWay).getPhase()).as("its Job runs on").isNotEqualTo("Failed");

        going = client.resource(going).get();
        going.getMetadata().setFinalizers(List.of());
        client.resource(going).update();
    }

    @Test
    void aSnapshotThatIsNotSucceededIsNoSource() {
        client.resource(io.dbsnap.operator.snapshot.Snapshots.parse("""
                apiVersion: dbsnap.io/v1alpha1
                kind: DatabaseSnapshot
                metadata: {name: running, namespace: %s}
                spec:
                  source: {pod: {name: orders-db-0}}
                  storage: {s3: {bucket: snaps, credentialsSecret: {name: s3-creds}}}
                """.formatted(NS))).create();
        SnapshotRestore restore = createdOf("too-early", "running", "");

        SnapshotRestoreStatus status = reconcile(restore);

        assertThat(status.getPhase()).isEqualTo("Failed");
        assertThat(condition(status, "Failed").getReason()).isEqualTo(FailureReason.SNAPSHOT_NOT_FOUND);
        assertThat(condition(status, "Failed").getMessage()).contains("is Pending, not Succeeded");
    }

    @Test
    void whenTheSpecNamesNoDatabaseTheOneTheVerifyJobFoundIsSnapshottedAndRestored() {
        SnapshotRestore restore = created("found-db", "  target: {pod: {name: orders-db-0}}\n");
        SnapshotRestoreStatus first = reconcile(restore);
        assertThat(first.getTarget()).isEqualTo(NS + "/orders-db-0/*");
        assertThat(args(RestoreJobFactory.verifyJobName(restore))).noneMatch(a -> a.startsWith("--database"));

        RestoreJobResult found = new RestoreJobResult(true, null, null, "20261201-000000-base", LOCATION, SHA,
                "postgresql", "16.4", "2026-12-01T00:00:00Z", "16.4", 0L, 1000L, false, false, false, "app", List.of(), null);
        finish(RestoreJobFactory.verifyJobName(restore), found);
        SnapshotRestoreStatus waiting = reconcile(restore);

        assertThat(waiting.getTarget()).isEqualTo(NS + "/orders-db-0/app");
        DatabaseSnapshot safety = get(DatabaseSnapshot.class, PreRestoreSnapshots.name(restore));
        assertThat(safety.getSpec().getSource().getDatabase()).as("the database the restore replaces").isEqualTo("app");
        DatabaseSnapshotStatus succeeded = new DatabaseSnapshotStatus();
        succeeded.setPhase("Succeeded");
        safety.setStatus(succeeded);
        client.resource(safety).updateStatus();
        reconcile(restore);
        String restoreJob = RestoreJobFactory.restoreJobName(restore);
        assertThat(args(restoreJob)).contains("--database=app");
        assertThat(get(Job.class, restoreJob).getSpec().getBackoffLimit()).as("a restore is never run twice").isZero();
    }

    @Test
    void anOperatorErrorWhileTheRestoreJobRunsLeavesTheOutcomeToItsResult() {
        io.javaoperatorsdk.operator.api.reconciler.RetryInfo last = new io.javaoperatorsdk.operator.api.reconciler.RetryInfo() {
            @Override
            public int getAttemptCount() {
                return 5;
            }

            @Override
            public boolean isLastAttempt() {
                return true;
            }
        };
        SnapshotRestore restore = created("erring", "  preRestoreSnapshot: false\n");
        assertThat(reconcile(restore).getJobName()).isEqualTo(RestoreJobFactory.restoreJobName(restore));
        var during = reconciler().updateErrorStatus(restore, new FakeContext<>(client, restore, last),
                new io.fabric8.kubernetes.client.KubernetesClientException("exceeded quota"));
        assertThat(during.getResource()).as("no Failed while the Job may still write").isEmpty();

        SnapshotRestore early = created("erring-early", "");
        var before = reconciler().updateErrorStatus(early, new FakeContext<>(client, early, last),
                new io.fabric8.kubernetes.client.KubernetesClientException("exceeded quota"));
        assertThat(before.getResource()).hasValueSatisfying(r -> assertThat(r.getStatus().getPhase()).isEqualTo("Failed"));
    }

    @Test
    void theRestoreJobWaitsForSnapshotJobsStillReadingItsPodAndClaimsThePodMeanwhile() {
        Job reading = client.resource(new JobBuilder().withNewMetadata().withName("snapshot-nightly-1").withNamespace(NS)
                .addToLabels("app.kubernetes.io/component", "snapshot")
                .addToLabels("app.kubernetes.io/managed-by", "dbsnap-operator")
                .addToAnnotations("dbsnap.io/pod", "orders-db-0")
                .addNewOwnerReference().withApiVersion("dbsnap.io/v1alpha1").withKind("DatabaseSnapshot")
                .withName("nightly-1").withUid("nightly-1-uid").withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("dbsnap").withImage("x")
                .endContainer().withRestartPolicy("Never").endSpec().endTemplate().endSpec().build()).create();
        SnapshotRestore restore = created("patient", "  preRestoreSnapshot: false\n");
        String restoreJob = RestoreJobFactory.restoreJobName(restore);

        SnapshotRestoreStatus waiting = reconcile(restore);
        assertThat(get(Job.class, restoreJob)).as("not while a snapshot reads the pod").isNull();
        assertThat(waiting.getPhase()).isEqualTo("Running");
        assertThat(condition(waiting, "Complete").getReason()).isEqualTo("SnapshotRunning");
        assertThat(condition(waiting, "Complete").getMessage()).contains("snapshot-nightly-1", "pod " + NS + "/orders-db-0");
        // from now snapshots of the pod wait for the restore (SnapshotQueue.admit)
        assertThat(QUEUE.claimsOn(NS + "/orders-db-0")).anySatisfy(c -> assertThat(c.restore().getName()).isEqualTo("patient"));
        assertThat(QUEUE.admit(new io.dbsnap.operator.snapshot.SnapshotQueue.Entry(
                new io.javaoperatorsdk.operator.processing.event.ResourceID("manual", NS), "manual-uid",
                NS + "/orders-db-0", Instant.parse("2026-12-02T10:00:00Z")), List.of(), Instant.parse(
                "2026-12-02T10:00:00Z"))).hasValueSatisfying(why -> assertThat(why).contains("SnapshotRestore patient, which restores pod "
                + NS + "/orders-db-0"));

        reading.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().withConditions(
                new JobConditionBuilder().withType("Complete").withStatus("True").build()).build());
        client.resource(reading).updateStatus();
        assertThat(reconcile(restore).getJobName()).isEqualTo(restoreJob);
        assertThat(get(Job.class, restoreJob)).isNotNull();

        // finished, the restore gives its claim up
        finish(restoreJob, verified(LOCATION, List.of()));
        assertThat(reconcile(restore).getPhase()).isEqualTo("Succeeded");
        assertThat(QUEUE.claimsOn(NS + "/orders-db-0")).noneSatisfy(c -> assertThat(c.restore().getName())
                .isEqualTo("patient"));
    }

    @Test
    void aSecondRestoreIntoThePodWaitsForTheFirstBeforeItsSafetySnapshotOrItsJob() {
        SnapshotRestore first = created("first-in", "  preRestoreSnapshot: false\n");
        String firstJob = RestoreJobFactory.restoreJobName(first);
        assertThat(reconcile(first).getJobName()).isEqualTo(firstJob);

        // made after the first: with a safety snapshot it would be taken after verification; without, its Job
        for (String extra : List.of("", "  preRestoreSnapshot: false\n")) {
            SnapshotRestore second = created(extra.isEmpty() ? "second-safe" : "second-bare", extra);
            if (extra.isEmpty()) {
                reconcile(second);
                finish(RestoreJobFactory.verifyJobName(second), verified(LOCATION, List.of()));
            }
            SnapshotRestoreStatus waiting = reconcile(second);
            assertThat(condition(waiting, "Complete").getReason()).as(extra).isEqualTo("RestoreRunning");
            assertThat(condition(waiting, "Complete").getMessage()).contains("SnapshotRestore first-in");
            assertThat(get(DatabaseSnapshot.class, PreRestoreSnapshots.name(second))).as("no safety snapshot yet").isNull();
            assertThat(get(Job.class, RestoreJobFactory.restoreJobName(second))).as("no restore Job").isNull();
        }
        // after a restart the claims are gone, but the first one's Job still writes: the second waits for it
        QUEUE = new io.dbsnap.operator.snapshot.SnapshotQueue(new io.dbsnap.operator.snapshot.SnapshotQueue.Limits(1, 0));
        SnapshotRestore bare = client.resources(SnapshotRestore.class).inNamespace(NS).withName("second-bare").get();
        SnapshotRestoreStatus afterRestart = reconcile(bare);
        assertThat(condition(afterRestart, "Complete").getReason()).isEqualTo("RestoreRunning");
        assertThat(condition(afterRestart, "Complete").getMessage()).contains(firstJob);

        finish(firstJob, verified(LOCATION, List.of()));
        assertThat(reconcile(first).getPhase()).isEqualTo("Succeeded");
        assertThat(reconcile(bare).getJobName()).isEqualTo(RestoreJobFactory.restoreJobName(bare));
    }

    @Test
    void theRestoreJobsProgressAnnotationKeepsTheStatusCurrent() {
        SnapshotRestore restore = created("progress", "  preRestoreSnapshot: false\n");
        String restoreJob = RestoreJobFactory.restoreJobName(restore);
        assertThat(reconcile(restore).getJobName()).isEqualTo(restoreJob);
        assertThat(get(Job.class, restoreJob).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .as("the agent knows its own Job").anySatisfy(env -> {
                    assertThat(env.getName()).isEqualTo(io.dbsnap.api.job.JobProgress.JOB_NAME_ENV);
                    assertThat(env.getValue()).isEqualTo(restoreJob);
                });

        annotate(restoreJob, "400/1000");
        SnapshotRestoreStatus running = reconcile(restore);
        assertThat(running.getRestoredBytes()).isEqualTo(400L);
        assertThat(running.getTotalBytes()).isEqualTo(1000L);

        annotate(restoreJob, "5000/1000");
        assertThat(reconcile(restore).getRestoredBytes()).as("never more than all").isEqualTo(1000L);

        annotate(restoreJob, "most of it");
        SnapshotRestoreStatus garbled = reconcile(restore);
        assertThat(garbled.getRestoredBytes()).as("a value that is no progress changes nothing").isEqualTo(1000L);
        assertThat(garbled.getPhase()).isNotEqualTo("Failed");
    }

    private static void annotate(String jobName, String progress) {
        Job job = get(Job.class, jobName);
        job.getMetadata().setAnnotations(Map.of(io.dbsnap.api.job.JobProgress.ANNOTATION, progress));
        client.resource(job).update();
    }
}
