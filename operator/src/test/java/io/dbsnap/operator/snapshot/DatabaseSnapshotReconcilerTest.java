package io.dbsnap.operator.snapshot;

import io.dbsnap.api.job.FailureReason;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotStatus;
import io.dbsnap.operator.common.Ownership;
import io.dbsnap.operator.job.FakeContext;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reconciler's branches, one call of {@code reconcile} each, against an API server (the
 * sandbox's) and a small fake of JOSDK's context: what it makes, what it refuses, what it reports.
 * The Jobs never run here; the end-to-end test runs them.
 */
class DatabaseSnapshotReconcilerTest {

    private static final String NS = TestApi.NS;
    private static TestApi api;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        api = new TestApi();
        client = api.client;
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static final io.micrometer.core.instrument.MeterRegistry METERS =
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

    private static DatabaseSnapshotReconciler reconciler() {
        DatabaseSnapshotReconciler reconciler = new DatabaseSnapshotReconciler();
        reconciler.metrics = new io.dbsnap.operator.common.DbsnapMetrics(METERS);
        reconciler.config = io.dbsnap.operator.common.TestConfig.of("ghcr.io/dbsnap/dbsnap:test",
                java.time.Duration.ofMinutes(5), Set.of());
        reconciler.clock = Clock.fixed(Instant.parse("2026-12-01T23:00:00Z"), ZoneOffset.UTC);
        // each test's own pod: these tests do not wait behind each other's Jobs (queuedSnapshots... does)
        reconciler.snapshotJobs = context -> java.util.stream.Stream.empty();
        reconciler.restoreJobs = context -> java.util.stream.Stream.empty();
        return reconciler;
    }

    /** A snapshot as the API server holds it (with its uid), of pod orders-db-0. */
    private static DatabaseSnapshot created(String name, String credentialsSecret) {
        DatabaseSnapshot snapshot = Snapshots.parse("""
                apiVersion: dbsnap.io/v1alpha1
                kind: DatabaseSnapshot
                metadata: {name: %s, namespace: %s}
                spec:
                  source: {pod: {name: orders-db-0}}
                  storage: {s3: {bucket: snaps, credentialsSecret: {name: %s}}}
                """.formatted(name, NS, credentialsSecret));
        return client.resource(snapshot).create();
    }

    private static DatabaseSnapshotStatus reconcile(DatabaseSnapshot snapshot) {
        UpdateControl<DatabaseSnapshot> control = reconciler().reconcile(snapshot, context(snapshot, null));
        return control.getResource().map(DatabaseSnapshot::getStatus).orElse(snapshot.getStatus());
    }

    private static double finishedCount(String phase, String reason) {
        var counter = METERS.find("dbsnap.snapshots.finished").tags("namespace", NS, "phase", phase, "reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static Condition failed(DatabaseSnapshotStatus status) {
        return status.getConditions().stream().filter(c -> c.getType().equals("Failed")).findFirst().orElseThrow();
    }

    private static <T extends HasMetadata> T get(Class<T> type, String name) {
        return api.get(type, name);
    }

    @Test
    void aNewSnapshotGetsItsAccessAndItsJobAndIsInProgress() {
        DatabaseSnapshot snapshot = created("fresh", "s3-creds");
        DatabaseSnapshotStatus status = reconcile(snapshot);

        String jobName = SnapshotJobFactory.jobName(snapshot);
        assertThat(status.getPhase()).isEqualTo("Pending");
        assertThat(status.getJobName()).isEqualTo(jobName);
        Job job = get(Job.class, jobName);
        assertThat(Ownership.isControlledBy(job, snapshot.getMetadata().getUid())).isTrue();
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).contains("--pod=orders-db-0");
        // the one pod, and the Job's own progress annotation
        assertThat(get(Role.class, jobName).getRules()).extracting(rule -> rule.getResourceNames())
                .containsExactly(List.of("orders-db-0"), List.of("orders-db-0"), List.of(jobName));
    }

    @Test
    void aSnapshotWhoseSecretIsMissingFailsBeforeAnythingIsMade() {
        DatabaseSnapshot snapshot = created("no-secret", "missing");
        double failedBefore = finishedCount("Failed", FailureReason.SECRET_NOT_FOUND);
        DatabaseSnapshotStatus status = reconcile(snapshot);
        assertThat(finishedCount("Failed", FailureReason.SECRET_NOT_FOUND)).as("counted once").isEqualTo(failedBefore + 1);

        assertThat(status.getPhase()).isEqualTo("Failed");
        assertThat(failed(status).getReason()).isEqualTo(FailureReason.SECRET_NOT_FOUND);
        String jobName = SnapshotJobFactory.jobName(snapshot);
        assertThat(get(Job.class, jobName)).isNull();
        assertThat(get(Role.class, jobName)).isNull();
        assertThat(get(io.fabric8.kubernetes.api.model.ServiceAccount.class, jobName)).isNull();
    }

    @Test
    void aJobSomeoneElseMadeUnderTheJobsNameIsNeverBelievedOrTouched() {
        DatabaseSnapshot snapshot = created("squatted", "s3-creds");
        String jobName = SnapshotJobFactory.jobName(snapshot);
        Job foreign = client.resource(new JobBuilder().withNewMetadata().withName(jobName).withNamespace(NS)
                .endMetadata().withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("x")
                .withImage("busybox").endContainer().withRestartPolicy("Never").endSpec().endTemplate().endSpec()
                .build()).create();

        DatabaseSnapshotStatus status = reconcile(snapshot);

        assertThat(status.getPhase()).isEqualTo("Failed");
        assertThat(failed(status).getReason()).isEqualTo(FailureReason.JOB_CONFLICT);
        assertThat(failed(status).getMessage()).contains("Job " + jobName, "is not this snapshot's");
        assertThat(get(Job.class, jobName).getMetadata().getUid()).isEqualTo(foreign.getMetadata().getUid());
        assertThat(get(Job.class, jobName).getMetadata().getOwnerReferences()).isNullOrEmpty();
        // the access it was granted went again with the result
        assertThat(get(Role.class, jobName)).isNull();
    }

    @Test
    void aJobTheSnapshotHadAndLostIsReportedLostAndNeverMadeAgain() {
        DatabaseSnapshot snapshot = created("lost", "s3-creds");
        DatabaseSnapshotStatus running = reconcile(snapshot);
        String jobName = running.getJobName();
        client.batch().v1().jobs().inNamespace(NS).withName(jobName).delete();
        snapshot.setStatus(running);

        DatabaseSnapshotStatus status = reconcile(snapshot);

        assertThat(status.getPhase()).isEqualTo("Failed");
        assertThat(failed(status).getReason()).isEqualTo(FailureReason.JOB_LOST);
        assertThat(get(Job.class, jobName)).isNull();
        assertThat(get(Role.class, jobName)).isNull();
    }

    @Test
    void aJobWhoseNameNeverReachedTheStatusIsTakenUpAndNotMadeTwice() {
        DatabaseSnapshot snapshot = created("status-lost", "s3-creds");
        reconcile(snapshot);
        String jobName = SnapshotJobFactory.jobName(snapshot);
        String uid = get(Job.class, jobName).getMetadata().getUid();
        // the status write of that reconcile failed, and the informer has not seen the Job yet
        snapshot.setStatus(null);

        UpdateControl<DatabaseSnapshot> control = reconciler().reconcile(snapshot, context(snapshot, null).lagging());

        DatabaseSnapshotStatus status = control.getResource().orElseThrow().getStatus();
        assertThat(status.getPhase()).isEqualTo("Pending");
        assertThat(status.getJobName()).isEqualTo(jobName);
        assertThat(get(Job.class, jobName).getMetadata().getUid()).isEqualTo(uid);
        assertThat(client.batch().v1().jobs().inNamespace(NS).list().getItems())
                .filteredOn(j -> Ownership.isControlledBy(j, snapshot.getMetadata().getUid())).hasSize(1);
    }

    @Test
    void aJobWhosePodCannotStartSaysWhyInThePodsWordsAndWarnsOnce() {
        DatabaseSnapshot snapshot = created("unpullable", "s3-creds");
        snapshot.setStatus(reconcile(snapshot));
        Job job = get(Job.class, snapshot.getStatus().getJobName());
        client.resource(new PodBuilder().withNewMetadata().withName(job.getMetadata().getName() + "-x1").withNamespace(NS)
                .addToLabels("job-name", job.getMetadata().getName()).withOwnerReferences(Ownership.controller(job))
                .endMetadata().withNewSpec().addNewContainer().withName("dbsnap").withImage("ghcr.io/dbsnap/dbsnap:test")
                .endContainer().endSpec().withNewStatus().withPhase("Pending").addNewContainerStatus().withName("dbsnap")
                .withNewState().withNewWaiting().withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image \"ghcr.io/dbsnap/dbsnap:test\"").endWaiting().endState()
                .endContainerStatus().endStatus().build()).create();

        DatabaseSnapshotStatus status = reconcile(snapshot);
        assertThat(status.getPhase()).isEqualTo("Pending");
        Condition complete = status.getConditions().stream().filter(c -> c.getType().equals("Complete")).findFirst()
                .orElseThrow();
        assertThat(complete.getReason()).isEqualTo("JobNotStarting");
        assertThat(complete.getMessage()).startsWith("Job " + job.getMetadata().getName() + " cannot start: "
                + "ImagePullBackOff: Back-off pulling image \"ghcr.io/dbsnap/dbsnap:test\"");
        snapshot.setStatus(status);
        assertThat(reconcile(snapshot)).as("nothing new to say").isEqualTo(status);
        assertThat(client.v1().events().inNamespace(NS).list().getItems()).filteredOn(e -> "JobNotStarting".equals(
                e.getReason()) && e.getInvolvedObject().getName().equals("unpullable")).singleElement()
                .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
    }

    @Test
    void aSucceededSnapshotIsLeftAloneWhateverHappensToItsJob() {
        DatabaseSnapshot snapshot = created("done", "s3-creds");
        DatabaseSnapshotStatus status = new DatabaseSnapshotStatus();
        status.setPhase("Succeeded");
        status.setJobName(SnapshotJobFactory.jobName(snapshot));
        snapshot.setStatus(status);

        UpdateControl<DatabaseSnapshot> control = reconciler().reconcile(snapshot, context(snapshot, null));

        assertThat(control.isPatchStatus()).isFalse();
        assertThat(control.isPatchResource()).isFalse();
        assertThat(get(Job.class, status.getJobName())).isNull();
    }

    @Test
    void anApiErrorIsACountedWarningAtEachAttemptAndFailsTheSnapshotWhenRetriesEnd() {
        DatabaseSnapshot snapshot = created("forbidden", "s3-creds");
        Exception forbidden = new io.fabric8.kubernetes.client.KubernetesClientException(
                "roles.rbac.authorization.k8s.io is forbidden: attempt to grant extra privileges", 403, null);

        for (int attempt = 1; attempt <= 2; attempt++) {
            var control = reconciler().updateErrorStatus(snapshot, context(snapshot, retry(attempt, false)),
                    forbidden);
            assertThat(control.isDefaultErrorProcessing()).isTrue();
        }
        var last = reconciler().updateErrorStatus(snapshot, context(snapshot, retry(3, true)), forbidden);

        DatabaseSnapshotStatus status = last.getResource().orElseThrow().getStatus();
        assertThat(status.getPhase()).isEqualTo("Failed");
        assertThat(failed(status).getReason()).isEqualTo(FailureReason.OPERATOR_ERROR);
        assertThat(failed(status).getMessage()).contains("attempt to grant extra privileges", "create a new DatabaseSnapshot");
        assertThat(client.v1().events().inNamespace(NS).list().getItems()).filteredOn(e -> e.getReason()
                .equals("ReconcileFailed") && e.getInvolvedObject().getName().equals("forbidden"))
                .singleElement().satisfies(e -> assertThat(e.getCount()).isEqualTo(3));

        // a final snapshot keeps its result
        DatabaseSnapshot done = created("forbidden-done", "s3-creds");
        DatabaseSnapshotStatus succeeded = new DatabaseSnapshotStatus();
        succeeded.setPhase("Succeeded");
        done.setStatus(succeeded);
        assertThat(reconciler().updateErrorStatus(done, context(done, retry(3, true)), forbidden)
                .isDefaultErrorProcessing()).isTrue();
    }

    @Test
    void snapshotsOfOnePodTakeTurnsAndWaitQueuedWithoutAJob() {
        DatabaseSnapshotReconciler reconciler = reconciler();
        reconciler.snapshotJobs = context -> client.batch().v1().jobs().inNamespace(NS)
                .withLabel("app.kubernetes.io/component", "snapshot").list().getItems().stream();
        List<DatabaseSnapshot> snapshots = new java.util.ArrayList<>();
        for (String name : List.of("turn-1", "turn-2", "turn-3")) {
            snapshots.add(createdOf(name, "busy-db-0"));
        }
        java.util.function.Function<DatabaseSnapshot, DatabaseSnapshotStatus> reconcile = snapshot -> {
            UpdateControl<DatabaseSnapshot> control = reconciler.reconcile(snapshot, context(snapshot, null));
            DatabaseSnapshotStatus status = control.getResource().map(DatabaseSnapshot::getStatus)
                    .orElse(snapshot.getStatus());
            snapshot.setStatus(status);
            return status;
        };
        DatabaseSnapshotStatus first = reconcile.apply(snapshots.get(0));
        assertThat(first.getJobName()).isNotNull();
        assertThat(get(Job.class, first.getJobName()).getMetadata().getAnnotations())
                .containsEntry(SnapshotJobFactory.ANNOTATION_POD, "busy-db-0");
        for (DatabaseSnapshot waiting : snapshots.subList(1, 3)) {
            DatabaseSnapshotStatus status = reconcile.apply(waiting);
            assertThat(status.getPhase()).isEqualTo("Pending");
            assertThat(status.getJobName()).isNull();
            Condition complete = status.getConditions().stream().filter(c -> c.getType().equals("Complete"))
                    .findFirst().orElseThrow();
            assertThat(complete.getReason()).isEqualTo("Queued");
            assertThat(complete.getMessage()).contains("at most 1 snapshot Job at a time", "pod " + NS + "/busy-db-0");
            assertThat(get(Job.class, SnapshotJobFactory.jobName(waiting))).isNull();
            assertThat(get(Role.class, SnapshotJobFactory.jobName(waiting))).as("no access before its turn").isNull();
        }
        DatabaseSnapshot third = snapshots.get(2);
        assertThat(reconciler.reconcile(third, context(third, null)).isPatchStatus())
                .as("the same words while it waits: no status write").isFalse();

        // the first Job finishes: the oldest waiting snapshot goes next, the other still waits
        Job done = get(Job.class, first.getJobName());
        done.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().addNewCondition()
                .withType("Failed").withStatus("True").withReason("DeadlineExceeded").endCondition().build());
        client.resource(done).updateStatus();
        assertThat(reconcile.apply(snapshots.get(2)).getJobName()).as("the newer one, looked at first").isNull();
        assertThat(reconcile.apply(snapshots.get(1)).getJobName()).isNotNull();
        assertThat(reconcile.apply(snapshots.get(2)).getJobName()).isNull();
    }

    @Test
    void aRestoreWritingIntoAPodHoldsBackItsSnapshotsUntilItsJobEnds() {
        DatabaseSnapshotReconciler reconciler = reconciler();
        reconciler.restoreJobs = context -> client.batch().v1().jobs().inNamespace(NS)
                .withLabel("app.kubernetes.io/component", "restore").list().getItems().stream();
        Job writing = client.resource(restoreJob("restore-put-back", "put-back", "restored-db-0", false)).create();
        client.resource(restoreJob("verify-look-only", "look-only", "verified-db-0", true)).create();
        java.util.function.Function<String, DatabaseSnapshot> snapshotOf = pod -> createdOf("of-" + pod, pod);

        DatabaseSnapshot held = snapshotOf.apply("restored-db-0");
        DatabaseSnapshotStatus status = reconciler.reconcile(held, context(held, null)).getResource()
                .map(DatabaseSnapshot::getStatus).orElseThrow();
        assertThat(status.getPhase()).isEqualTo("Pending");
        assertThat(status.getJobName()).isNull();
        Condition complete = status.getConditions().stream().filter(c -> c.getType().equals("Complete"))
                .findFirst().orElseThrow();
        assertThat(complete.getReason()).isEqualTo("Queued");
        assertThat(complete.getMessage()).contains("SnapshotRestore put-back", "pod " + NS + "/restored-db-0",
                "half-restored");
        assertThat(get(Job.class, SnapshotJobFactory.jobName(held))).isNull();
        assertThat(get(Role.class, SnapshotJobFactory.jobName(held))).as("no access while held back").isNull();
        assertThat(reconciler.queue().next(NS + "/restored-db-0")).as("woken when the restore Job ends")
                .containsExactly(io.javaoperatorsdk.operator.processing.event.ResourceID.fromResource(held));

        // a verify Job (a dry run, or the check before a restore) holds back nothing, nor does a restore elsewhere
        for (String pod : List.of("verified-db-0", "free-db-0")) {
            DatabaseSnapshot free = snapshotOf.apply(pod);
            assertThat(reconciler.reconcile(free, context(free, null)).getResource()
                    .map(DatabaseSnapshot::getStatus).orElseThrow().getJobName()).as(pod).isNotNull();
        }

        // the restore Job ends (failed or not, it writes no more): the held snapshot takes its Job
        writing.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().addNewCondition()
                .withType("Failed").withStatus("True").withReason("BackoffLimitExceeded").endCondition().build());
        client.resource(writing).updateStatus();
        held.setStatus(status);
        assertThat(reconciler.reconcile(held, context(held, null)).getResource()
                .map(DatabaseSnapshot::getStatus).orElseThrow().getJobName()).isNotNull();
    }

    @Test
    void aClaimOfARestoreThatIsGoneOrFinishedIsForgottenAndALiveOneHoldsTheSnapshotBack() {
        DatabaseSnapshotReconciler reconciler = reconciler();
        for (var restore : List.of(restore("finished-restore", "Failed"), restore("live-restore", "Running"))) {
            var status = restore.getStatus();
            var created = client.resource(restore).create();
            created.setStatus(status); // the status subresource: not taken from a create
            client.resource(created).updateStatus();
        }
        java.util.function.BiFunction<String, String, DatabaseSnapshotStatus> snapshotAfterClaim = (restore, pod) -> {
            reconciler.queue().claim(new SnapshotQueue.Claim(new io.javaoperatorsdk.operator.processing.event.ResourceID(
                    restore, NS), NS + "/" + pod, null, Instant.parse("2026-12-01T22:00:00Z")));
            DatabaseSnapshot snapshot = createdOf("after-" + restore, pod);
            return reconciler.reconcile(snapshot, context(snapshot, null)).getResource()
                    .map(DatabaseSnapshot::getStatus).orElseThrow();
        };
        // deleted before it finished, or finished while this operator did not see it: the claim goes
        for (String gone : List.of("vanished-restore", "finished-restore")) {
            String pod = gone + "-db-0";
            assertThat(snapshotAfterClaim.apply(gone, pod).getJobName()).as(gone).isNotNull();
            assertThat(reconciler.queue().claimsOn(NS + "/" + pod)).as(gone).isEmpty();
        }
        DatabaseSnapshotStatus held = snapshotAfterClaim.apply("live-restore", "live-db-0");
        assertThat(held.getJobName()).isNull();
        assertThat(held.getConditions()).anySatisfy(c -> assertThat(c.getMessage())
                .contains("SnapshotRestore live-restore, which restores pod " + NS + "/live-db-0"));
        assertThat(reconciler.queue().claimsOn(NS + "/live-db-0")).hasSize(1);
    }

    private static io.dbsnap.api.v1alpha1.restore.SnapshotRestore restore(String name, String phase) {
        io.dbsnap.api.v1alpha1.restore.SnapshotRestore restore = client.getKubernetesSerialization().unmarshal("""
                apiVersion: dbsnap.io/v1alpha1
                kind: SnapshotRestore
                metadata: {name: %s, namespace: %s}
                spec:
                  source: {snapshotRef: {name: base}}
                status: {phase: %s}
                """.formatted(name, NS, phase), io.dbsnap.api.v1alpha1.restore.SnapshotRestore.class);
        return restore;
    }

    /** A snapshot {@code name} of pod {@code pod}, made on the API server. */
    private static DatabaseSnapshot createdOf(String name, String pod) {
        return client.resource(Snapshots.parse("""
                apiVersion: dbsnap.io/v1alpha1
                kind: DatabaseSnapshot
                metadata: {name: %s, namespace: %s}
                spec:
                  source: {pod: {name: %s}}
                  storage: {s3: {bucket: snaps, credentialsSecret: {name: s3-creds}}}
                """.formatted(name, NS, pod))).create();
    }

    /** A Job of SnapshotRestore {@code restore} as the restore reconciler makes it, restoring or only verifying. */
    private static Job restoreJob(String name, String restore, String pod, boolean verify) {
        List<String> args = new java.util.ArrayList<>(List.of("agent", "restore", "--namespace=" + NS, "--pod=" + pod,
                "--snapshot=s3://snaps/" + NS + "/x/1/"));
        if (verify) {
            args.add(io.dbsnap.api.job.AgentRestoreArgs.DRY_RUN);
        }
        return new JobBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .addToLabels("app.kubernetes.io/component", "restore")
                .addToLabels("app.kubernetes.io/managed-by", "dbsnap-operator")
                .addNewOwnerReference().withApiVersion("dbsnap.io/v1alpha1").withKind("SnapshotRestore")
                .withName(restore).withUid(restore + "-uid").withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("dbsnap")
                .withImage("ghcr.io/dbsnap/dbsnap:test").withArgs(args).endContainer().withRestartPolicy("Never")
                .endSpec().endTemplate().endSpec().build();
    }

    private static RetryInfo retry(int attempt, boolean last) {
        return new RetryInfo() {
            @Override
            public int getAttemptCount() {
                return attempt;
            }

            @Override
            public boolean isLastAttempt() {
                return last;
            }
        };
    }

    /** JOSDK's context as the reconciler uses it: the client, and the Job an informer would map to the snapshot. */
    private static FakeContext<DatabaseSnapshot> context(DatabaseSnapshot primary, RetryInfo retry) {
        return new FakeContext<>(client, primary, retry);
    }
}
