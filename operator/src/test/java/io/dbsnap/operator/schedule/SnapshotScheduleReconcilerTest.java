package io.dbsnap.operator.schedule;

import io.dbsnap.api.v1alpha1.common.DeletionPolicy;
import io.dbsnap.api.v1alpha1.restore.SnapshotRestore;
import io.dbsnap.api.v1alpha1.restore.SnapshotRestoreStatus;
import io.dbsnap.api.v1alpha1.schedule.SnapshotSchedule;
import io.dbsnap.api.v1alpha1.schedule.SnapshotScheduleStatus;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotStatus;
import io.dbsnap.operator.common.Conditions;
import io.dbsnap.operator.common.TestConfig;
import io.dbsnap.operator.job.FakeContext;
import io.dbsnap.operator.snapshot.TestApi;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schedule reconciler one {@code reconcile} at a time against the sandbox's API server, its clock
 * in the test's hand: which snapshots it creates, adopts, skips and deletes, and what the status says.
 * Snapshot Jobs never run here; a snapshot's result is written as the snapshot reconciler would.
 */
class SnapshotScheduleReconcilerTest {

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

    private static SnapshotSchedule created(String name, String specExtra) {
        return client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: dbsnap.io/v1alpha1
                kind: SnapshotSchedule
                metadata: {name: %s, namespace: %s}
                spec:
                  snapshotTemplate:
                    metadata: {labels: {team: orders}}
                    spec:
                      source: {pod: {name: orders-db-0}, database: orders}
                      storage: {s3: {bucket: snaps, credentialsSecret: {name: s3-creds}}}
                %s""".formatted(name, NS, specExtra.indent(2)), SnapshotSchedule.class)).create();
    }

    private static Instant createdAt(SnapshotSchedule schedule) {
        return Instant.parse(schedule.getMetadata().getCreationTimestamp());
    }

    /** One reconcile at {@code now}; the status it would patch is kept on the resource for the next one. */
    private static UpdateControl<SnapshotSchedule> reconcileAt(SnapshotSchedule schedule, Instant now) {
        SnapshotScheduleReconciler reconciler = new SnapshotScheduleReconciler();
        reconciler.config = TestConfig.of("ghcr.io/dbsnap/dbsnap:test", Duration.ofMinutes(5), Set.of());
        reconciler.clock = Clock.fixed(now, ZoneOffset.UTC);
        UpdateControl<SnapshotSchedule> control = reconciler.reconcile(schedule, new FakeContext<>(client, schedule,
                null));
        control.getResource().ifPresent(r -> schedule.setStatus(r.getStatus()));
        return control;
    }

    /** {@link #reconcileAt} with an informer whose cache still shows {@code cached}. */
    private static void reconcileAt(SnapshotSchedule schedule, Instant now, List<DatabaseSnapshot> cached) {
        SnapshotScheduleReconciler reconciler = new SnapshotScheduleReconciler();
        reconciler.config = TestConfig.of("ghcr.io/dbsnap/dbsnap:test", Duration.ofMinutes(5), Set.of());
        reconciler.clock = Clock.fixed(now, ZoneOffset.UTC);
        reconciler.reconcile(schedule, new FakeContext<>(client, schedule, null).caching(cached)).getResource()
                .ifPresent(r -> schedule.setStatus(r.getStatus()));
    }

    private static List<DatabaseSnapshot> snapshotsOf(String schedule) {
        return client.resources(DatabaseSnapshot.class).inNamespace(NS)
                .withLabel(DatabaseSnapshot.LABEL_SCHEDULE, schedule).list().getItems().stream()
                .filter(s -> s.getMetadata().getDeletionTimestamp() == null)
                .sorted(ScheduledSnapshots.OLDEST_FIRST).toList();
    }

    private static List<String> namesOf(String schedule) {
        return snapshotsOf(schedule).stream().map(s -> s.getMetadata().getName()).toList();
    }

    private static void finish(String name, String phase, Instant completed) {
        DatabaseSnapshot snapshot = api.get(DatabaseSnapshot.class, name);
        DatabaseSnapshotStatus status = new DatabaseSnapshotStatus();
        status.setPhase(phase);
        status.setCompletionTime(completed.toString());
        snapshot.setStatus(status);
        client.resource(snapshot).updateStatus();
    }

    /** The reconcile a second after {@code slot}, whose snapshot then ends in {@code phase} 30 s after the slot. */
    private static void runSlot(SnapshotSchedule schedule, Instant slot, String phase) {
        reconcileAt(schedule, slot.plusSeconds(1));
        finish(ScheduledSnapshots.name(schedule.getMetadata().getName(), slot), phase, slot.plusSeconds(30));
    }

    private static Condition condition(SnapshotScheduleStatus status, String type) {
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }

    private static List<String> events(SnapshotSchedule schedule, String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> schedule.getMetadata().getUid().equals(e.getInvolvedObject().getUid()))
                .filter(e -> reason.equals(e.getReason())).map(Event::getMessage).toList();
    }

    /** The first full hour after the schedule was created. */
    private static Instant firstHour(SnapshotSchedule schedule) {
        return createdAt(schedule).truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
    }

    @Test
    void immediateTakesOneSnapshotAtOnceThenEachSlotOneNamedByItsSlot() {
        SnapshotSchedule schedule = created("hourly", "schedule: '@hourly'\nimmediate: true\n");
        Instant created = createdAt(schedule);
        UpdateControl<SnapshotSchedule> first = reconcileAt(schedule, created.plusSeconds(1));
        String immediate = ScheduledSnapshots.name("hourly", created.truncatedTo(ChronoUnit.MINUTES));
        assertThat(namesOf("hourly")).containsExactly(immediate);
        DatabaseSnapshot child = api.get(DatabaseSnapshot.class, immediate);
        assertThat(ScheduledSnapshots.ownedBy(child, schedule)).isTrue();
        assertThat(child.getMetadata().getLabels()).containsEntry("team", "orders")
                .containsEntry(DatabaseSnapshot.LABEL_SCHEDULE, "hourly");
        // retention is there to free storage: a scheduled snapshot's data goes with it by default
        assertThat(child.getSpec().getDeletionPolicy()).isEqualTo(DeletionPolicy.Delete);
        assertThat(child.getSpec().getSource().getDatabase()).isEqualTo("orders");
        SnapshotScheduleStatus status = schedule.getStatus();
        assertThat(status.getLastSnapshot()).isEqualTo(immediate);
        assertThat(status.getNextScheduleTime()).isEqualTo(firstHour(schedule).toString());
        assertThat(status.getTimeZone()).isEqualTo("UTC");
        assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
        // it wakes at the slot, not later
        assertThat(first.getScheduleDelay()).isPresent();
        assertThat(first.getScheduleDelay().get()).isLessThanOrEqualTo(Duration.between(created, firstHour(schedule))
                .toMillis());

        // asked again before the slot: nothing new, and no second immediate snapshot; a moment before the slot it
        // wakes at the slot, not a whole second later
        reconcileAt(schedule, firstHour(schedule).minusSeconds(1));
        assertThat(namesOf("hourly")).hasSize(1);
        assertThat(reconcileAt(schedule, firstHour(schedule).minusMillis(200)).getScheduleDelay())
                .hasValueSatisfying(delay -> assertThat(delay).isLessThanOrEqualTo(200));
        assertThat(namesOf("hourly")).hasSize(1);
        finish(immediate, "Succeeded", created.plusSeconds(30));
        reconcileAt(schedule, firstHour(schedule).plusSeconds(2));
        assertThat(namesOf("hourly")).containsExactly(immediate, ScheduledSnapshots.name("hourly", firstHour(schedule)));
        assertThat(schedule.getStatus().getLastScheduleTime()).isEqualTo(firstHour(schedule).toString());
        assertThat(schedule.getStatus().getActive()).isEqualTo(1);
        assertThat(schedule.getStatus().getLastSuccessfulTime()).isEqualTo(created.plusSeconds(30).toString());
        assertThat(events(schedule, "Scheduled")).hasSize(2);
    }

    @Test
    void aRestartBetweenCreatingTheSnapshotAndWritingTheStatusNeverMakesASecondOne() {
        SnapshotSchedule schedule = created("restart", "schedule: '@hourly'\n");
        reconcileAt(schedule, createdAt(schedule).plusSeconds(1));
        SnapshotScheduleStatus beforeTheSlot = client.getKubernetesSerialization().clone(schedule.getStatus());
        Instant slot = firstHour(schedule);
        reconcileAt(schedule, slot.plusSeconds(1));
        assertThat(namesOf("restart")).hasSize(1);
        // the status write was lost: the operator starts again from the status before the slot, twice, the
        // second time with an informer that has not seen the snapshot (its create meets the name taken: adopted)
        for (int attempt = 0; attempt < 2; attempt++) {
            schedule.setStatus(client.getKubernetesSerialization().clone(beforeTheSlot));
            if (attempt == 0) {
                reconcileAt(schedule, slot.plusSeconds(5));
            } else {
                reconcileAt(schedule, slot.plusSeconds(6), List.of());
            }
            assertThat(namesOf("restart")).containsExactly(ScheduledSnapshots.name("restart", slot));
            assertThat(schedule.getStatus().getLastSnapshot()).isEqualTo(ScheduledSnapshots.name("restart", slot));
            assertThat(schedule.getStatus().getMissed()).isNull();
        }
    }

    @Test
    void aForeignObjectHoldingTheNameSkipsTheSlotAndIsLeftAlone() {
        SnapshotSchedule schedule = created("foreign", "schedule: '@hourly'\n");
        reconcileAt(schedule, createdAt(schedule).plusSeconds(1));
        Instant slot = firstHour(schedule);
        String name = ScheduledSnapshots.name("foreign", slot);
        client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: dbsnap.io/v1alpha1
                kind: DatabaseSnapshot
                metadata: {name: %s, namespace: %s, labels: {owner: someone-else}}
                spec:
                  source: {pod: {name: other-db-0}}
                  storage: {s3: {bucket: theirs, credentialsSecret: {name: s3-creds}}}
                """.formatted(name, NS), DatabaseSnapshot.class)).create();
        reconcileAt(schedule, slot.plusSeconds(1));
        DatabaseSnapshot theirs = api.get(DatabaseSnapshot.class, name);
        assertThat(theirs.getSpec().getStorage().getS3().getBucket()).isEqualTo("theirs");
        assertThat(theirs.getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(schedule.getStatus().getMissed().getReason()).isEqualTo(SlotPlanner.NAME_TAKEN);
        assertThat(schedule.getStatus().getLastSnapshot()).isNull();
        assertThat(events(schedule, "Skipped")).singleElement().asString().contains(name, "not this schedule's");
        // the schedule goes on: the next slot runs
        reconcileAt(schedule, slot.plus(Duration.ofHours(1)).plusSeconds(1));
        assertThat(schedule.getStatus().getLastSnapshot()).isEqualTo(ScheduledSnapshots.name("foreign",
                slot.plus(Duration.ofHours(1))));
    }

    @Test
    void forbidSkipsASlotWhileTheLastStillRunsAndReplaceDeletesIt() {
        SnapshotSchedule forbid = created("forbid", "schedule: '@hourly'\n");
        reconcileAt(forbid, createdAt(forbid).plusSeconds(1));
        Instant slot = firstHour(forbid);
        reconcileAt(forbid, slot.plusSeconds(1));
        reconcileAt(forbid, slot.plus(Duration.ofHours(1)).plusSeconds(1));
        assertThat(namesOf("forbid")).hasSize(1);
        assertThat(forbid.getStatus().getMissed().getReason()).isEqualTo(SlotPlanner.CONCURRENCY_FORBID);
        assertThat(forbid.getStatus().getMissed().getCount()).isEqualTo(1);

        SnapshotSchedule replace = created("replace", "schedule: '@hourly'\nconcurrencyPolicy: Replace\n");
        reconcileAt(replace, createdAt(replace).plusSeconds(1));
        reconcileAt(replace, slot.plusSeconds(1));
        reconcileAt(replace, slot.plus(Duration.ofHours(1)).plusSeconds(1));
        assertThat(namesOf("replace")).containsExactly(ScheduledSnapshots.name("replace", slot.plus(Duration.ofHours(1))));
        assertThat(events(replace, "Replaced")).hasSize(1);
    }

    @Test
    void retentionKeepsWhatThePolicySaysDeletesTheRestAndNeverAPinnedOne() {
        SnapshotSchedule schedule = created("kept", "schedule: '@hourly'\nconcurrencyPolicy: Allow\n"
                + "retention: {keepLast: 2, keepFailed: 1}\n");
        reconcileAt(schedule, createdAt(schedule).plusSeconds(1));
        Instant slot = firstHour(schedule);
        String pinned = ScheduledSnapshots.name("kept", slot);
        for (int i = 0; i < 5; i++) {
            Instant at = slot.plus(Duration.ofHours(i));
            reconcileAt(schedule, at.plusSeconds(1));
            if (i == 0) {
                DatabaseSnapshot first = api.get(DatabaseSnapshot.class, pinned);
                first.getMetadata().getLabels().put(ScheduledSnapshots.LABEL_KEEP, "true");
                client.resource(first).update();
            }
            finish(ScheduledSnapshots.name("kept", at), i == 3 ? "Failed" : "Succeeded", at.plusSeconds(30));
        }
        reconcileAt(schedule, slot.plus(Duration.ofHours(4)).plusSeconds(40));
        // slots 0..4: 3 failed; newest two Succeeded are 4 and 2; 0 is pinned; 1 goes
        assertThat(namesOf("kept")).containsExactly(pinned, ScheduledSnapshots.name("kept", slot.plus(Duration.ofHours(2))),
                ScheduledSnapshots.name("kept", slot.plus(Duration.ofHours(3))),
                ScheduledSnapshots.name("kept", slot.plus(Duration.ofHours(4))));
        assertThat(schedule.getStatus().getRetention().getDeleted()).isEqualTo(1);
        assertThat(schedule.getStatus().getRetention().getKept()).isEqualTo(4);
        // the next Succeeded snapshot pushes out slot 2's
        assertThat(schedule.getStatus().getRetention().getNextDeletions())
                .containsExactly(ScheduledSnapshots.name("kept", slot.plus(Duration.ofHours(2))));
        assertThat(schedule.getStatus().getConsecutiveFailures()).isZero();
        assertThat(events(schedule, "RetentionDeleted")).singleElement().asString()
                .contains(ScheduledSnapshots.name("kept", slot.plus(Duration.ofHours(1))));
    }

    @Test
    void aBadScheduleOrZoneSaysSoAndTakesNothing() {
        SnapshotSchedule zone = created("zone", "schedule: '0 2 * * *'\ntimeZone: Mars/Olympus\nimmediate: true\n");
        reconcileAt(zone, createdAt(zone).plusSeconds(1));
        assertThat(namesOf("zone")).isEmpty();
        Condition ready = condition(zone.getStatus(), "Ready");
        assertThat(ready.getStatus()).isEqualTo(Conditions.FALSE);
        assertThat(ready.getReason()).isEqualTo(CronSlots.UNKNOWN_TIME_ZONE);
        assertThat(events(zone, CronSlots.UNKNOWN_TIME_ZONE)).hasSize(1);
        // the CRD lets this one through (five fields); the operator refuses it
        SnapshotSchedule never = created("never", "schedule: '0 0 31 2 *'\n");
        reconcileAt(never, createdAt(never).plusSeconds(1));
        assertThat(condition(never.getStatus(), "Ready").getReason()).isEqualTo(CronSlots.INVALID_SCHEDULE);
        assertThat(condition(never.getStatus(), "Ready").getMessage()).contains("no date");
        SnapshotSchedule template = client.resource(created("template", "schedule: '@daily'\n")).edit(s -> {
            s.getSpec().getSnapshotTemplate().getSpec().getSource().setEngine("oracle");
            return s;
        });
        reconcileAt(template, createdAt(template).plusSeconds(1));
        assertThat(condition(template.getStatus(), "Ready").getMessage()).startsWith("snapshotTemplate:");
    }

    @Test
    void aRunningRestoreIntoTheSourceSkipsTheSlot() {
        SnapshotSchedule schedule = created("guarded", "schedule: '@hourly'\n");
        reconcileAt(schedule, createdAt(schedule).plusSeconds(1));
        SnapshotRestore restore = client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: dbsnap.io/v1alpha1
                kind: SnapshotRestore
                metadata: {name: back-to-tuesday, namespace: %s}
                spec:
                  source: {snapshotRef: {name: someone-elses}}
                  target: {pod: {name: orders-db-0}, database: orders}
                """.formatted(NS), SnapshotRestore.class)).create();
        Instant slot = firstHour(schedule);
        reconcileAt(schedule, slot.plusSeconds(1));
        assertThat(namesOf("guarded")).isEmpty();
        assertThat(schedule.getStatus().getMissed().getReason()).isEqualTo(SlotPlanner.RESTORE_IN_PROGRESS);
        assertThat(events(schedule, "Skipped")).singleElement().asString().contains("back-to-tuesday");
        // nor does an immediate snapshot, and it says why
        SnapshotSchedule immediate = created("guarded-now", "schedule: '@hourly'\nimmediate: true\n");
        reconcileAt(immediate, createdAt(immediate).plusSeconds(1));
        assertThat(namesOf("guarded-now")).isEmpty();
        assertThat(events(immediate, "Skipped")).singleElement().asString()
                .contains("immediate", "RestoreInProgress", "back-to-tuesday");
        SnapshotRestoreStatus done = new SnapshotRestoreStatus();
        done.setPhase("Succeeded");
        restore.setStatus(done);
        client.resource(restore).updateStatus();
        reconcileAt(schedule, slot.plus(Duration.ofHours(1)).plusSeconds(1));
        assertThat(namesOf("guarded")).hasSize(1);
    }

    @Test
    void editingTheSpecFiresNothingAndTheOperatorNeverWritesTheSpec() {
        SnapshotSchedule schedule = created("edited", "schedule: '0 3 * * *'\n");
        reconcileAt(schedule, createdAt(schedule).plusSeconds(1));
        SnapshotScheduleStatus status = schedule.getStatus();
        // now every minute, seen 30 s after a minute began: that minute's slot is not run
        SnapshotSchedule edited = client.resource(schedule).edit(s -> {
            s.getSpec().setSchedule("* * * * *");
            return s;
        });
        edited.setStatus(status);
        Instant now = createdAt(schedule).plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MINUTES).plusSeconds(30);
        reconcileAt(edited, now);
        assertThat(namesOf("edited")).isEmpty();
        assertThat(edited.getStatus().getNextScheduleTime()).isEqualTo(now.truncatedTo(ChronoUnit.MINUTES)
                .plusSeconds(60).toString());
        reconcileAt(edited, now.plusSeconds(31));
        assertThat(namesOf("edited")).hasSize(1);
        SnapshotSchedule stored = api.get(SnapshotSchedule.class, "edited");
        assertThat(stored.getMetadata().getGeneration()).isEqualTo(edited.getMetadata().getGeneration());
        assertThat(stored.getSpec()).isEqualTo(edited.getSpec());
    }

    @Test
    void deletingTheScheduleKeepsItsSnapshotsNoLongerOwned() throws Exception {
        SnapshotSchedule schedule = created("deleted", "schedule: '@hourly'\nimmediate: true\nconcurrencyPolicy: Allow\n");
        reconcileAt(schedule, createdAt(schedule).plusSeconds(1));
        reconcileAt(schedule, firstHour(schedule).plusSeconds(1));
        assertThat(namesOf("deleted")).hasSize(2);
        // a third one a foreground cascade already deletes (held by its finalizer while the operator was down)
        String cascaded = ScheduledSnapshots.name("deleted", firstHour(schedule).plus(Duration.ofHours(1)));
        reconcileAt(schedule, firstHour(schedule).plus(Duration.ofHours(1)).plusSeconds(1));
        DatabaseSnapshot held = api.get(DatabaseSnapshot.class, cascaded);
        held.getMetadata().setFinalizers(List.of("dbsnap.io/test-holds-it"));
        client.resource(client.resource(held).update()).delete();
        SnapshotScheduleReconciler reconciler = new SnapshotScheduleReconciler();
        reconciler.config = TestConfig.of("x", Duration.ofMinutes(5), Set.of());
        assertThat(reconciler.cleanup(schedule, new FakeContext<>(client, schedule, null)).isRemoveFinalizer()).isTrue();
        // garbage collection has nothing to take: the backups outlive the schedule, and keep its label
        assertThat(snapshotsOf("deleted")).hasSize(2).allSatisfy(s -> {
            assertThat(s.getMetadata().getOwnerReferences()).isNullOrEmpty();
            assertThat(s.getMetadata().getLabels()).containsEntry(DatabaseSnapshot.LABEL_SCHEDULE, "deleted");
        });
        // the one being deleted still names the schedule being deleted: that is how its finalizer knows to keep the data
        assertThat(ScheduledSnapshots.ownedBy(api.get(DatabaseSnapshot.class, cascaded), schedule)).isTrue();
    }

    @Test
    void aSnapshotARunningRestoreReadsIsNotDeletedNorWhileItsScheduleRefIsUnresolved() {
        SnapshotSchedule schedule = created("read", "schedule: '@hourly'\nconcurrencyPolicy: Allow\n"
                + "retention: {keepLast: 1}\n");
        reconcileAt(schedule, createdAt(schedule).plusSeconds(1));
        Instant slot = firstHour(schedule);
        reconcileAt(schedule, slot.plusSeconds(1));
        finish(ScheduledSnapshots.name("read", slot), "Succeeded", slot.plusSeconds(30));
        // a restore into staging of this schedule's newest, not resolved yet: retention must wait
        SnapshotRestore restore = client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: dbsnap.io/v1alpha1
                kind: SnapshotRestore
                metadata: {name: to-staging, namespace: %s}
                spec:
                  source: {scheduleRef: {name: read}}
                  target: {pod: {name: staging-db-0}}
                """.formatted(NS), SnapshotRestore.class)).create();
        Instant second = slot.plus(Duration.ofHours(1));
        reconcileAt(schedule, second.plusSeconds(1));
        finish(ScheduledSnapshots.name("read", second), "Succeeded", second.plusSeconds(30));
        reconcileAt(schedule, second.plusSeconds(40));
        assertThat(namesOf("read")).hasSize(2);
        // resolved to the first: that one stays while the restore runs, though keepLast 1 lets it go
        SnapshotRestoreStatus resolving = new SnapshotRestoreStatus();
        resolving.setPhase("Running");
        resolving.setSource(NS + "/" + ScheduledSnapshots.name("read", slot));
        restore.setStatus(resolving);
        restore = client.resource(restore).updateStatus();
        reconcileAt(schedule, second.plusSeconds(50));
        assertThat(namesOf("read")).containsExactly(ScheduledSnapshots.name("read", slot),
                ScheduledSnapshots.name("read", second));
        // the restore went elsewhere (staging), so the slots ran meanwhile
        assertThat(schedule.getStatus().getMissed()).isNull();
        SnapshotRestoreStatus done = new SnapshotRestoreStatus();
        done.setPhase("Succeeded");
        done.setSource(resolving.getSource());
        restore.setStatus(done);
        client.resource(restore).updateStatus();
        reconcileAt(schedule, second.plusSeconds(60));
        assertThat(namesOf("read")).containsExactly(ScheduledSnapshots.name("read", second));
    }

    /** The newest good snapshot was deleted by hand and the informer has not seen it go: the one before it stays. */
    @Test
    void retentionPlansOnWhatTheApiServerHasNotOnALaggingCache() {
        SnapshotSchedule schedule = created("lag", "schedule: '@hourly'\nconcurrencyPolicy: Allow\n"
                + "retention: {keepLast: 1}\n");
        reconcileAt(schedule, createdAt(schedule).plusSeconds(1));
        Instant slot = firstHour(schedule);
        Instant second = slot.plus(Duration.ofHours(1));
        runSlot(schedule, slot, "Succeeded");
        runSlot(schedule, second, "Succeeded");
        List<DatabaseSnapshot> cached = snapshotsOf("lag");
        assertThat(cached).hasSize(2);
        client.resources(DatabaseSnapshot.class).inNamespace(NS).withName(ScheduledSnapshots.name("lag", second))
                .delete();

        reconcileAt(schedule, second.plusSeconds(40), cached);

        assertThat(namesOf("lag")).as("the only good snapshot left").containsExactly(ScheduledSnapshots.name("lag", slot));
    }

    /** More than two periods without a success is Stale; a success clears it. */
    @Test
    void staleOnceTwoPeriodsPassWithoutASuccess() {
        SnapshotSchedule schedule = created("stale", "schedule: '@hourly'\nconcurrencyPolicy: Allow\n");
        reconcileAt(schedule, createdAt(schedule).plusSeconds(1));
        Instant slot = firstHour(schedule);
        Instant second = slot.plus(Duration.ofHours(1));
        Instant third = second.plus(Duration.ofHours(1));
        Instant fourth = third.plus(Duration.ofHours(1));
        // the first run takes longer than a period: it ends a minute after the second slot
        reconcileAt(schedule, slot.plusSeconds(1));
        runSlot(schedule, second, "Failed");
        finish(ScheduledSnapshots.name("stale", slot), "Succeeded", second.plusSeconds(60));
        reconcileAt(schedule, third.plusSeconds(1));
        assertThat(condition(schedule.getStatus(), SnapshotScheduleReconciler.STALE).getStatus())
                .as("one slot since the last success ended, though two since its own slot").isEqualTo("False");
        reconcileAt(schedule, fourth.minusSeconds(1));
        assertThat(condition(schedule.getStatus(), SnapshotScheduleReconciler.STALE).getStatus()).isEqualTo("False");

        reconcileAt(schedule, fourth.plusSeconds(1));
        Condition stale = condition(schedule.getStatus(), SnapshotScheduleReconciler.STALE);
        assertThat(stale.getStatus()).as("two periods after it ended, the third slot's run not done").isEqualTo("True");
        assertThat(stale.getMessage()).contains(ScheduledSnapshots.name("stale", slot));

        finish(ScheduledSnapshots.name("stale", third), "Succeeded", fourth.plusSeconds(30));
        reconcileAt(schedule, fourth.plusSeconds(40));
        assertThat(condition(schedule.getStatus(), SnapshotScheduleReconciler.STALE).getStatus()).isEqualTo("False");
    }

    /** A restore reading a stored folder, from this namespace or another (a location source), pins the snapshot filed there. */
    @Test
    void aSnapshotWhoseFolderARunningLocationRestoreReadsIsNotDeleted() {
        SnapshotSchedule schedule = created("byloc", "schedule: '@hourly'\nconcurrencyPolicy: Allow\n"
                + "retention: {keepLast: 1}\n");
        reconcileAt(schedule, createdAt(schedule).plusSeconds(1));
        Instant slot = firstHour(schedule);
        Instant second = slot.plus(Duration.ofHours(1));
        Instant third = second.plus(Duration.ofHours(1));
        List<String> names = List.of(ScheduledSnapshots.name("byloc", slot), ScheduledSnapshots.name("byloc", second),
                ScheduledSnapshots.name("byloc", third));
        for (Instant at : List.of(slot, second, third)) {
            reconcileAt(schedule, at.plusSeconds(1));
            DatabaseSnapshot snapshot = api.get(DatabaseSnapshot.class, ScheduledSnapshots.name("byloc", at));
            DatabaseSnapshotStatus status = new DatabaseSnapshotStatus();
            status.setPhase("Succeeded");
            status.setCompletionTime(at.plusSeconds(30).toString());
            status.setLocation("s3://snaps/" + NS + "/orders-db-0/" + snapshot.getMetadata().getName() + "/");
            snapshot.setStatus(status);
            client.resource(snapshot).updateStatus();
            if (at.equals(slot)) {
                // the first is read through its path, not yet resolved; the second through its resolved location
                locationRestore("by-path", "staging", NS + "/orders-db-0/" + names.get(0) + "/", null);
            } else if (at.equals(second)) {
                locationRestore("by-resolved", NS, "other/orders-db-0/" + names.get(1) + "/", status.getLocation());
                // a near name reads another folder and pins nothing
                locationRestore("near-name", "staging", NS + "/orders-db-0/" + names.get(0) + "x/", null);
            }
        }
        reconcileAt(schedule, third.plusSeconds(40));
        assertThat(namesOf("byloc")).containsExactlyElementsOf(names);

        for (SnapshotRestore finished : List.of(
                client.resources(SnapshotRestore.class).inNamespace("staging").withName("by-path").get(),
                api.get(SnapshotRestore.class, "by-resolved"))) {
            SnapshotRestoreStatus done = new SnapshotRestoreStatus();
            done.setPhase("Succeeded");
            finished.setStatus(done);
            client.resource(finished).updateStatus();
        }
        reconcileAt(schedule, third.plusSeconds(50));
        assertThat(namesOf("byloc")).containsExactly(names.get(2));
        client.resources(SnapshotRestore.class).inNamespace("staging").withName("near-name").delete();
    }

    /** A restore (in {@code namespace}: location sources cross namespaces) of a stored folder. */
    private static void locationRestore(String name, String namespace, String path, String resolvedLocation) {
        if (client.namespaces().withName(namespace).get() == null) {
            client.resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(namespace)
                    .endMetadata().build()).create();
        }
        SnapshotRestore restore = client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: dbsnap.io/v1alpha1
                kind: SnapshotRestore
                metadata: {name: %s, namespace: %s}
                spec:
                  source:
                    location:
                      s3: {bucket: snaps-copy, credentialsSecret: {name: s3-creds}}
                      path: %s
                  target: {pod: {name: staging-db-0}}
                """.formatted(name, namespace, path), SnapshotRestore.class)).create();
        if (resolvedLocation != null) {
            SnapshotRestoreStatus status = new SnapshotRestoreStatus();
            status.setPhase("Running");
            status.setLocation(resolvedLocation);
            restore.setStatus(status);
            client.resource(restore).updateStatus();
        }
    }

    @Test
    void consecutiveFailuresCountEveryFailedRunThoughRetentionDeletesThem() {
        SnapshotSchedule schedule = created("failing", "schedule: '@hourly'\nretention: {keepLast: 2, keepFailed: 1}\n");
        reconcileAt(schedule, createdAt(schedule).plusSeconds(1));
        Instant slot = firstHour(schedule);
        reconcileAt(schedule, slot.plusSeconds(1));
        finish(ScheduledSnapshots.name("failing", slot), "Succeeded", slot.plusSeconds(30));
        for (int i = 1; i <= 4; i++) {
            Instant at = slot.plus(Duration.ofHours(i));
            reconcileAt(schedule, at.plusSeconds(1));
            finish(ScheduledSnapshots.name("failing", at), "Failed", at.plusSeconds(30));
            reconcileAt(schedule, at.plusSeconds(40));
        }
        assertThat(schedule.getStatus().getConsecutiveFailures()).isEqualTo(4);
        // the good one and the newest failed one are all that is left
        assertThat(namesOf("failing")).containsExactly(ScheduledSnapshots.name("failing", slot),
                ScheduledSnapshots.name("failing", slot.plus(Duration.ofHours(4))));
        Instant good = slot.plus(Duration.ofHours(5));
        reconcileAt(schedule, good.plusSeconds(1));
        finish(ScheduledSnapshots.name("failing", good), "Succeeded", good.plusSeconds(30));
        reconcileAt(schedule, good.plusSeconds(40));
        assertThat(schedule.getStatus().getConsecutiveFailures()).isZero();
    }

    @Test
    void aScheduleInvalidFromTheStartFiresNothingOnceFixed() {
        SnapshotSchedule schedule = created("fixed", "schedule: '0 0 31 2 *'\nimmediate: true\n");
        reconcileAt(schedule, createdAt(schedule).plusSeconds(1));
        SnapshotScheduleStatus invalid = schedule.getStatus();
        SnapshotSchedule fixed = client.resource(schedule).edit(s -> {
            s.getSpec().setSchedule("@hourly");
            return s;
        });
        fixed.setStatus(invalid);
        // fixed a day later: no immediate snapshot under the creation's name, no burst, no catch-up
        Instant later = createdAt(schedule).plus(Duration.ofDays(1)).plusSeconds(600);
        reconcileAt(fixed, later);
        assertThat(namesOf("fixed")).isEmpty();
        assertThat(condition(fixed.getStatus(), "Ready").getStatus()).isEqualTo(Conditions.TRUE);
        reconcileAt(fixed, later.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1)).plusSeconds(1));
        assertThat(namesOf("fixed")).hasSize(1);
    }

    @Test
    void immediateWaitsForNothingButNeverRunsSuspendedAndASuspendedScheduleHasNoNextRun() {
        SnapshotSchedule schedule = created("paused", "schedule: '@hourly'\nimmediate: true\nsuspend: true\n");
        reconcileAt(schedule, createdAt(schedule).plusSeconds(1));
        assertThat(namesOf("paused")).isEmpty();
        assertThat(schedule.getStatus().getNextScheduleTime()).isNull();
        assertThat(condition(schedule.getStatus(), "Suspended").getStatus()).isEqualTo(Conditions.TRUE);
        reconcileAt(schedule, firstHour(schedule).plusSeconds(1));
        assertThat(namesOf("paused")).isEmpty();
        assertThat(schedule.getStatus().getMissed().getReason()).isEqualTo(SlotPlanner.SUSPENDED);
    }

    @Test
    void retentionPlansEachDatabaseApartWhenTheTemplateIsRepointed() {
        SnapshotSchedule schedule = created("moved", "schedule: '@hourly'\nretention: {keepLast: 1}\n");
        reconcileAt(schedule, createdAt(schedule).plusSeconds(1));
        Instant slot = firstHour(schedule);
        reconcileAt(schedule, slot.plusSeconds(1));
        finish(ScheduledSnapshots.name("moved", slot), "Succeeded", slot.plusSeconds(30));
        SnapshotScheduleStatus status = schedule.getStatus();
        SnapshotSchedule moved = client.resource(schedule).edit(s -> {
            s.getSpec().getSnapshotTemplate().getSpec().getSource().getPod().setName("orders-db-1");
            return s;
        });
        moved.setStatus(status);
        reconcileAt(moved, slot.plusSeconds(60));
        for (int i = 1; i <= 2; i++) {
            Instant at = slot.plus(Duration.ofHours(i));
            reconcileAt(moved, at.plusSeconds(1));
            finish(ScheduledSnapshots.name("moved", at), "Succeeded", at.plusSeconds(30));
            reconcileAt(moved, at.plusSeconds(40));
        }
        // the old database's last snapshot is its newest Succeeded: kept beside the new one's
        assertThat(namesOf("moved")).containsExactly(ScheduledSnapshots.name("moved", slot),
                ScheduledSnapshots.name("moved", slot.plus(Duration.ofHours(2))));
    }
}
