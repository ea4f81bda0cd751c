package io.dbsnap.operator.schedule;

import io.dbsnap.api.v1alpha1.restore.SnapshotRestore;
import io.dbsnap.api.v1alpha1.schedule.ConcurrencyPolicy;
import io.dbsnap.api.v1alpha1.schedule.MissedRuns;
import io.dbsnap.api.v1alpha1.schedule.RetentionStatus;
import io.dbsnap.api.v1alpha1.schedule.SnapshotSchedule;
import io.dbsnap.api.v1alpha1.schedule.SnapshotScheduleSpec;
import io.dbsnap.api.v1alpha1.schedule.SnapshotScheduleStatus;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.core.catalog.Retention;
import io.dbsnap.operator.common.Conditions;
import io.dbsnap.operator.common.EventRecorder;
import io.dbsnap.operator.common.OperatorConfig;
import io.dbsnap.operator.job.Problem;
import io.dbsnap.operator.restore.RestoreStatuses;
import io.dbsnap.operator.snapshot.SnapshotSpecValidator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One SnapshotSchedule: parse -> read its snapshots -> decide the due slots ({@link SlotPlanner}) ->
 * create or adopt the slot's snapshot -> retention -> status, conditions, Events -> wake at the next
 * slot. Every decision is written to the status before the next is taken, and a slot's snapshot has
 * one possible name, so a restart neither loses a slot nor takes one twice. The spec is never written.
 */
@ControllerConfiguration(name = "snapshotschedule")
public class SnapshotScheduleReconciler implements Reconciler<SnapshotSchedule> {

    private static final Logger LOG = Logger.getLogger(SnapshotScheduleReconciler.class);
    /** A safety net beside the informers and the timer: a schedule is looked at again at least this often. */
    private static final Duration POLL = Duration.ofMinutes(5);
    private static final Duration DEFAULT_DEADLINE = Duration.ofHours(1);
    static final String READY = "Ready";
    static final String SUSPENDED = "Suspended";
    static final String STALE = "Stale";

    @Inject
    OperatorConfig config;

    Clock clock = Clock.systemUTC();

    @Override
    public List<EventSource<?, SnapshotSchedule>> prepareEventSources(EventSourceContext<SnapshotSchedule> context) {
        return List.of(new InformerEventSource<>(InformerEventSourceConfiguration.from(DatabaseSnapshot.class,
                        SnapshotSchedule.class)
                .withLabelSelector(DatabaseSnapshot.LABEL_SCHEDULE)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(SnapshotSchedule.class))
                .build(), context));
    }

    @Override
    public UpdateControl<SnapshotSchedule> reconcile(SnapshotSchedule schedule, Context<SnapshotSchedule> context) {
        KubernetesClient client = context.getClient();
        Instant now = clock.instant();
        SnapshotScheduleSpec spec = schedule.getSpec();
        SnapshotScheduleStatus current = schedule.getStatus();
        SnapshotScheduleStatus next = current == null ? new SnapshotScheduleStatus()
                : client.getKubernetesSerialization().clone(current);
        long generation = schedule.getMetadata().getGeneration() == null ? 0 : schedule.getMetadata().getGeneration();

        CronSlots.Parsed parsed = CronSlots.parse(spec.getSchedule(), spec.getTimeZone());
        Optional<Problem> problem = Optional.ofNullable(parsed.problem()).or(() -> templateProblem(schedule, client));
        next.setTimeZone(parsed.valid() ? parsed.slots().zone().getId() : spec.getTimeZone());
        next.setSuspended(Boolean.TRUE.equals(spec.getSuspend()));
        if (problem.isPresent()) {
            // nothing runs until the spec is fixed; the edit brings the schedule back here
            next.setObservedGeneration(generation);
            next.setNextScheduleTime(null);
            next.setConditions(Conditions.set(next.getConditions(), Conditions.of(READY, false, problem.get().reason(),
                    problem.get().message(), generation), now));
            if (!Objects.equals(current, next)) {
                EventRecorder.warning(client, schedule, problem.get().reason(), problem.get().message());
            }
            return patchIfChanged(schedule, current, next, Optional.empty());
        }
        CronSlots slots = parsed.slots();
        Duration jitter = Jitter.offset(schedule.getMetadata().getUid(), Jitter.parse(spec.getJitter()));
        List<DatabaseSnapshot> snapshots = snapshots(schedule, context);
        Set<String> names = snapshots.stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
        boolean first = current == null || current.getSlotsDecidedUntil() == null;
        Instant created = Instant.parse(schedule.getMetadata().getCreationTimestamp());

        if (first && Boolean.TRUE.equals(spec.getImmediate())) {
            Instant slot = created.truncatedTo(ChronoUnit.MINUTES);
            ensureSnapshot(client, schedule, slot, next, "immediate: true");
        }
        List<SnapshotRestore> restores = client.resources(SnapshotRestore.class)
                .inNamespace(schedule.getMetadata().getNamespace()).list().getItems();
        List<String> restoring = RestoresInto.running(schedule, restores, names);
        SlotPlanner.Decision decision = SlotPlanner.decide(new SlotPlanner.Input(slots, jitter,
                Optional.ofNullable(spec.getStartingDeadlineSeconds()).map(Duration::ofSeconds).orElse(DEFAULT_DEADLINE),
                Optional.ofNullable(spec.getConcurrencyPolicy()).orElse(ConcurrencyPolicy.Forbid),
                Boolean.TRUE.equals(spec.getSuspend()), created, first ? null : Instant.parse(current.getSlotsDecidedUntil()),
                !first && !Objects.equals(current.getObservedGeneration(), generation), now, names,
                active(snapshots), !restoring.isEmpty(), config.schedule().maxSnapshots(),
                slot -> ScheduledSnapshots.name(schedule.getMetadata().getName(), slot)));

        SlotPlanner.Missed missed = decision.missed();
        for (String running : decision.replace()) {
            client.resources(DatabaseSnapshot.class).inNamespace(schedule.getMetadata().getNamespace())
                    .withName(running).delete();
            EventRecorder.normal(client, schedule, "Replaced", "deleted running snapshot " + running
                    + " (concurrencyPolicy: Replace)");
        }
        if (decision.run().isPresent()) {
            Instant slot = decision.run().get();
            if (!ensureSnapshot(client, schedule, slot, next, "slot " + slot)) {
                missed = missed.plus(slot, SlotPlanner.NAME_TAKEN);
            } else if (missed.count() > 0) {
                EventRecorder.normal(client, schedule, "CaughtUp", missed.count() + " slot(s) missed, the last at "
                        + missed.lastSlot() + " (" + missed.reason() + "); took the newest slot, " + slot
                        + ", once");
            }
        }
        recordMissed(client, schedule, next, missed, decision.run().isPresent(), restoring);
        next.setSlotsDecidedUntil(Conditions.timestamp(decision.decidedUntil()));
        next.setObservedGeneration(generation);

        snapshots = snapshots(schedule, context);
        applyRetention(client, schedule, snapshots, slots, restores, decision.nextRun(), next, now);
        describe(next, snapshots, slots, jitter, created, generation, now,
                names.size() >= config.schedule().maxSnapshots());
        return patchIfChanged(schedule, current, next, decision.more() ? Optional.of(Duration.ofSeconds(1))
                : decision.nextRun().map(at -> Duration.between(now, at)));
    }

    /** The template checked as the snapshots it makes will be, so a schedule that can only fail says so once. */
    private Optional<Problem> templateProblem(SnapshotSchedule schedule, KubernetesClient client) {
        DatabaseSnapshot sample = ScheduledSnapshots.of(schedule, Instant.EPOCH, client.getKubernetesSerialization());
        Optional<Problem> problem = SnapshotSpecValidator.validate(sample.getSpec(),
                config.storage().allowedEndpoints().orElse(Set.of()));
        return problem.map(p -> new Problem(p.reason(), "snapshotTemplate: " + p.message()))
                .or(() -> {
                    try {
                        Jitter.parse(schedule.getSpec().getJitter());
                        Optional.ofNullable(schedule.getSpec().getRetention()).ifPresent(ScheduleRetention::rules);
                        return Optional.empty();
                    } catch (IllegalArgumentException e) {
                        return Optional.of(new Problem("InvalidSpec", e.getMessage()));
                    }
                });
    }

    /**
     * The slot's snapshot: created, or the schedule's own found under its name (made before a restart or
     * seen late by the informer). False when something else holds the name: the slot is skipped, never
     * taken over.
     */
    private boolean ensureSnapshot(KubernetesClient client, SnapshotSchedule schedule, Instant slot,
                                   SnapshotScheduleStatus next, String why) {
        DatabaseSnapshot wanted = ScheduledSnapshots.of(schedule, slot, client.getKubernetesSerialization());
        var resource = client.resources(DatabaseSnapshot.class).inNamespace(schedule.getMetadata().getNamespace())
                .withName(wanted.getMetadata().getName());
        DatabaseSnapshot found = resource.get();
        if (found == null) {
            try {
                client.resource(wanted).create();
                EventRecorder.normal(client, schedule, "Scheduled", "created DatabaseSnapshot "
                        + wanted.getMetadata().getName() + " (" + why + ")");
                LOG.infof("%s/%s: created snapshot %s for %s", schedule.getMetadata().getNamespace(),
                        schedule.getMetadata().getName(), wanted.getMetadata().getName(), why);
                found = wanted;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                found = resource.get();
            }
        }
        if (found == null || (found != wanted && !ScheduledSnapshots.ownedBy(found, schedule))) {
            EventRecorder.warning(client, schedule, "Skipped", "slot " + slot + " skipped (" + SlotPlanner.NAME_TAKEN
                    + "): DatabaseSnapshot " + wanted.getMetadata().getName() + " exists and is not this schedule's; "
                    + "rename or delete it");
            return false;
        }
        next.setLastScheduleTime(Conditions.timestamp(slot));
        next.setLastSnapshot(wanted.getMetadata().getName());
        return true;
    }

    private static void recordMissed(KubernetesClient client, SnapshotSchedule schedule, SnapshotScheduleStatus next,
                                     SlotPlanner.Missed missed, boolean ran, List<String> restoring) {
        if (missed.count() == 0) {
            return;
        }
        MissedRuns total = next.getMissed() == null ? new MissedRuns() : next.getMissed();
        total.setCount((total.getCount() == null ? 0 : total.getCount()) + missed.count());
        total.setLastSlot(Conditions.timestamp(missed.lastSlot()));
        total.setReason(missed.reason());
        next.setMissed(total);
        String detail = switch (missed.reason()) {
            case SlotPlanner.CONCURRENCY_FORBID -> "the previous snapshot still runs (concurrencyPolicy: Forbid)";
            case SlotPlanner.RESTORE_IN_PROGRESS -> "SnapshotRestore " + String.join(", ", restoring)
                    + " is restoring into this database";
            case SlotPlanner.TOO_MANY_SNAPSHOTS -> "the schedule has as many snapshots as the operator allows one "
                    + "schedule; set a retention policy or delete some";
            case SlotPlanner.SUSPENDED -> "the schedule is suspended";
            case SlotPlanner.TOO_LATE -> "it is later than startingDeadlineSeconds allows";
            case SlotPlanner.NAME_TAKEN -> "its snapshot's name is taken";
            default -> "the operator was not running";
        };
        if (SlotPlanner.NAME_TAKEN.equals(missed.reason()) || ran) {
            return;
        }
        boolean skippedNow = !SlotPlanner.CONTROLLER_DOWN.equals(missed.reason())
                && !SlotPlanner.TOO_LATE.equals(missed.reason());
        String message = missed.count() + " slot(s) missed, the last at " + missed.lastSlot() + ": " + detail;
        if (skippedNow) {
            EventRecorder.normal(client, schedule, "Skipped", SlotPlanner.SUSPENDED.equals(missed.reason())
                    ? "slots skipped: " + detail : "slot " + missed.lastSlot() + " skipped (" + missed.reason() + "): "
                    + detail);
        } else {
            EventRecorder.warning(client, schedule, "Missed", message);
        }
    }

    private void applyRetention(KubernetesClient client, SnapshotSchedule schedule, List<DatabaseSnapshot> snapshots,
                                CronSlots slots, List<SnapshotRestore> restores, Optional<Instant> nextRun,
                                SnapshotScheduleStatus next, Instant now) {
        if (schedule.getSpec().getRetention() == null) {
            next.setRetention(null);
            return;
        }
        Set<String> inUse = restores.stream().filter(r -> !RestoreStatuses.phaseOf(r.getStatus()).isFinal())
                .filter(r -> r.getSpec() != null && r.getSpec().getSource() != null
                        && r.getSpec().getSource().getSnapshotRef() != null)
                .map(r -> r.getSpec().getSource().getSnapshotRef().getName()).collect(Collectors.toSet());
        Retention.Plan plan = ScheduleRetention.plan(snapshots, schedule.getSpec().getRetention(), slots.zone(), inUse,
                Optional.empty(), now);
        RetentionStatus retention = next.getRetention() == null ? new RetentionStatus() : next.getRetention();
        long deleted = retention.getDeleted() == null ? 0 : retention.getDeleted();
        for (Retention.Verdict verdict : plan.verdicts()) {
            if (verdict.keep()) {
                continue;
            }
            client.resources(DatabaseSnapshot.class).inNamespace(schedule.getMetadata().getNamespace())
                    .withName(verdict.id()).delete();
            deleted++;
            EventRecorder.normal(client, schedule, "RetentionDeleted", "deleted DatabaseSnapshot " + verdict.id() + " ("
                    + String.join(", ", verdict.reasons()) + ")");
        }
        if (!plan.deleted().isEmpty() || retention.getLastAppliedTime() == null) {
            retention.setLastAppliedTime(Conditions.timestamp(now));
        }
        retention.setKept(plan.kept().size());
        retention.setDeleted(deleted);
        // as retention will read it when the next slot's snapshot is in: that snapshot counted, at that time
        List<String> pushedOut = nextRun.map(at -> ScheduleRetention.plan(snapshots.stream()
                        .filter(s -> !plan.deleted().contains(s.getMetadata().getName())).toList(),
                schedule.getSpec().getRetention(), slots.zone(), inUse, Optional.of(at), at).deleted()).orElse(List.of());
        retention.setNextDeletions(pushedOut.stream().filter(n -> !n.equals(ScheduleRetention.NEXT)).sorted().toList());
        next.setRetention(retention);
    }

    /** The fields that describe the snapshots and the schedule's health, from what there is now. */
    private static void describe(SnapshotScheduleStatus next, List<DatabaseSnapshot> snapshots, CronSlots slots,
                                 Duration jitter, Instant created, long generation, Instant now, boolean full) {
        List<String> active = active(snapshots);
        next.setActive(active.size());
        next.setActiveSnapshots(active.isEmpty() ? null : active);
        Optional<DatabaseSnapshot> newest = ScheduledSnapshots.newestSucceeded(snapshots);
        newest.map(s -> s.getStatus().getCompletionTime()).ifPresent(next::setLastSuccessfulTime);
        next.setConsecutiveFailures(ScheduledSnapshots.consecutiveFailures(snapshots));
        Instant decided = Instant.parse(next.getSlotsDecidedUntil());
        next.setNextScheduleTime(slots.next(decided).map(s -> Conditions.timestamp(s.plus(jitter))).orElse(null));
        boolean suspended = Boolean.TRUE.equals(next.getSuspended());
        next.setConditions(Conditions.set(next.getConditions(), full
                ? Conditions.of(READY, false, SlotPlanner.TOO_MANY_SNAPSHOTS, snapshots.size() + " snapshots: no more "
                + "are taken until retention or a person deletes some (the operator's limit per schedule)", generation)
                : Conditions.of(READY, true, "Scheduled", next.getNextScheduleTime() == null ? "no slot is left"
                : "next snapshot at " + next.getNextScheduleTime(), generation), now));
        next.setConditions(Conditions.set(next.getConditions(), Conditions.of(SUSPENDED, suspended,
                suspended ? "SuspendedBySpec" : "Active", suspended ? "spec.suspend is true: slots are counted as missed"
                        : "slots run", generation), now));
        // stale: two whole periods have gone by since the last success (or the start) without another
        Instant since = newest.map(ScheduledSnapshots::slotOf).orElse(created);
        boolean stale = slots.between(since, now.minus(jitter), 3).size() >= 3;
        next.setConditions(Conditions.set(next.getConditions(), Conditions.of(STALE, stale,
                stale ? "NoRecentSuccess" : "Fresh", stale ? "no Succeeded snapshot for more than two periods"
                        + newest.map(s -> "; the last is " + s.getMetadata().getName()).orElse("; none yet")
                        : "a Succeeded snapshot is recent" , generation), now));
    }

    private static List<String> active(List<DatabaseSnapshot> snapshots) {
        return snapshots.stream().filter(ScheduledSnapshots::running).sorted(ScheduledSnapshots.OLDEST_FIRST)
                .map(s -> s.getMetadata().getName()).toList();
    }

    private static List<DatabaseSnapshot> snapshots(SnapshotSchedule schedule, Context<SnapshotSchedule> context) {
        return context.getSecondaryResourcesAsStream(DatabaseSnapshot.class)
                .filter(s -> ScheduledSnapshots.ownedBy(s, schedule))
                .sorted(ScheduledSnapshots.OLDEST_FIRST).toList();
    }

    private UpdateControl<SnapshotSchedule> patchIfChanged(SnapshotSchedule schedule, SnapshotScheduleStatus current,
                                                           SnapshotScheduleStatus next, Optional<Duration> wake) {
        Duration after = wake.map(d -> d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d)
                .filter(d -> d.compareTo(POLL) < 0).orElse(POLL);
        if (Objects.equals(current, next)) {
            return UpdateControl.<SnapshotSchedule>noUpdate().rescheduleAfter(after);
        }
        schedule.setStatus(next);
        return UpdateControl.patchStatus(schedule).rescheduleAfter(after);
    }
}
