package io.dbsnap.operator.schedule;

import io.dbsnap.api.v1alpha1.common.JobPhase;
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
import io.dbsnap.operator.common.DbsnapMetrics;
import io.dbsnap.operator.common.EventRecorder;
import io.dbsnap.operator.common.KubernetesNames;
import io.dbsnap.operator.common.OperatorConfig;
import io.dbsnap.operator.common.WatchedNamespaces;
import io.dbsnap.operator.job.Problem;
import io.dbsnap.operator.snapshot.SnapshotSpecValidator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
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
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One SnapshotSchedule: parse -> read its snapshots -> decide the due slots ({@link SlotPlanner}) ->
 * create or adopt the slot's snapshot -> retention -> status, conditions, Events -> wake at the next
 * slot. Every decision is written to the status before the next is taken, and a slot's snapshot has
 * one possible name, so a restart neither loses a slot nor takes one twice. The spec is never written.
 */
@ControllerConfiguration(name = "snapshotschedule")
public class SnapshotScheduleReconciler implements Reconciler<SnapshotSchedule>, Cleaner<SnapshotSchedule> {

    private static final Logger LOG = Logger.getLogger(SnapshotScheduleReconciler.class);
    /** A safety net beside the informers and the timer: a schedule is looked at again at least this often. */
    private static final Duration POLL = Duration.ofMinutes(5);
    private static final Duration DEFAULT_DEADLINE = Duration.ofHours(1);
    static final String READY = "Ready";
    static final String SUSPENDED = "Suspended";
    static final String STALE = "Stale";
    private static final Duration MIN_WAKE = Duration.ofMillis(50);

    @Inject
    OperatorConfig config;

    @Inject
    DbsnapMetrics metrics = DbsnapMetrics.inMemory();

    @Inject
    WatchedNamespaces watched = WatchedNamespaces.everywhere();

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
        boolean suspended = Boolean.TRUE.equals(spec.getSuspend());

        CronSlots.Parsed parsed = CronSlots.parse(spec.getSchedule(), spec.getTimeZone());
        Optional<Problem> problem = Optional.ofNullable(parsed.problem()).or(() -> templateProblem(schedule, client));
        next.setTimeZone(parsed.valid() ? parsed.slots().zone().getId() : spec.getTimeZone());
        next.setSuspended(suspended);
        if (problem.isPresent()) {
            // nothing runs until the spec is fixed, and the slots passing meanwhile are decided: not run
            next.setObservedGeneration(generation);
            next.setNextScheduleTime(null);
            next.setSlotsDecidedUntil(Conditions.timestamp(now));
            next.setConditions(Conditions.set(next.getConditions(), Conditions.of(READY, false, problem.get().reason(),
                    problem.get().message(), generation), now));
            if (current == null || !Objects.equals(current.getConditions(), next.getConditions())) {
                EventRecorder.warning(client, schedule, problem.get().reason(), problem.get().message());
            }
            return patchIfChanged(schedule, current, next, Optional.empty());
        }
        CronSlots slots = parsed.slots();
        Duration jitter = Jitter.offset(schedule.getMetadata().getUid(), Jitter.parse(spec.getJitter()));
        List<DatabaseSnapshot> snapshots = snapshots(schedule, context);
        Set<String> names = snapshots.stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
        List<String> active = new ArrayList<>(active(snapshots));
        Set<String> madeNow = new java.util.HashSet<>();
        boolean first = current == null || current.getSlotsDecidedUntil() == null;
        Instant created = Instant.parse(schedule.getMetadata().getCreationTimestamp());
        // restores are asked for only when a snapshot is about to be taken or deleted: most reconciles do neither
        Restores restores = new Restores(client, watched, schedule);
        int limit = config.schedule().maxSnapshots();
        Optional<Problem> createProblem = Optional.empty();

        boolean immediate = first && Boolean.TRUE.equals(spec.getImmediate()) && !suspended;
        if (immediate && names.size() >= limit) {
            EventRecorder.normal(client, schedule, "Skipped", "the immediate snapshot is skipped ("
                    + SlotPlanner.TOO_MANY_SNAPSHOTS + "): the schedule has " + names.size() + " snapshots, the limit");
        } else if (immediate && !restores.writingInto().isEmpty()) {
            EventRecorder.normal(client, schedule, "Skipped", "the immediate snapshot is skipped ("
                    + SlotPlanner.RESTORE_IN_PROGRESS + "): SnapshotRestore " + String.join(", ", restores.writingInto())
                    + " is restoring into this database; the slots run as usual");
        } else if (immediate) {
            Instant slot = created.truncatedTo(ChronoUnit.MINUTES);
            Outcome outcome = ensureSnapshot(client, schedule, slot, next, "immediate: true");
            if (outcome.made()) {
                String name = ScheduledSnapshots.name(schedule.getMetadata().getName(), slot);
                names.add(name);
                active.add(name);
                madeNow.add(name);
            }
            createProblem = outcome.problem();
        }
        Function<Boolean, SlotPlanner.Input> input = restoreRunning -> new SlotPlanner.Input(slots, jitter,
                deadline(spec), Optional.ofNullable(spec.getConcurrencyPolicy()).orElse(ConcurrencyPolicy.Forbid),
                suspended, created, first ? null : decided(current, now),
                !first && !Objects.equals(current.getObservedGeneration(), generation), now, names, List.copyOf(active),
                restoreRunning, limit, slot -> ScheduledSnapshots.name(schedule.getMetadata().getName(), slot));
        SlotPlanner.Decision decision = SlotPlanner.decide(input.apply(false));
        if (decision.run().isPresent() && !decision.adopt() && !restores.writingInto().isEmpty()) {
            decision = SlotPlanner.decide(input.apply(true));
        }
        List<String> restoring = restores.writingIntoIfAsked();

        SlotPlanner.Missed missed = decision.missed();
        decision.replace().forEach(running -> replace(client, schedule, running));
        if (decision.run().isPresent()) {
            Instant slot = decision.run().get();
            Outcome outcome = ensureSnapshot(client, schedule, slot, next, "slot " + slot);
            createProblem = outcome.problem();
            if (outcome.kind() == Outcome.Kind.NAME_TAKEN) {
                missed = missed.plus(slot, SlotPlanner.NAME_TAKEN);
            } else if (outcome.kind() == Outcome.Kind.FAILED) {
                missed = missed.plus(slot, SlotPlanner.CREATE_FAILED);
            } else if (missed.count() > 0) {
                EventRecorder.normal(client, schedule, "CaughtUp", missed.count() + " slot(s) missed, the last at "
                        + missed.lastSlot() + " (" + missed.reason() + "); took the newest slot, " + slot + ", once");
            }
            if (outcome.kind() == Outcome.Kind.CREATED) {
                madeNow.add(ScheduledSnapshots.name(schedule.getMetadata().getName(), slot));
            }
        }
        recordMissed(client, schedule, next, missed, decision.run().isPresent(), restoring);
        next.setSlotsDecidedUntil(Conditions.timestamp(decision.decidedUntil()));
        next.setObservedGeneration(generation);

        snapshots = snapshots(schedule, context);
        countResults(next, snapshots);
        Set<String> deleted = applyRetention(client, schedule, snapshots, slots, restores, decision.nextRun(), next,
                now);
        List<DatabaseSnapshot> remaining = snapshots.stream().filter(s -> !deleted.contains(s.getMetadata().getName()))
                .toList();
        describe(next, remaining, madeNow, slots, jitter, created, generation, now,
                remaining.size() >= limit ? Optional.of(new Problem(SlotPlanner.TOO_MANY_SNAPSHOTS, remaining.size()
                        + " snapshots: no more are taken until retention or a person deletes some (the operator's "
                        + "limit per schedule is " + limit + ")")) : createProblem);
        metrics.schedule(schedule.getMetadata().getNamespace(), schedule.getMetadata().getName(),
                Optional.ofNullable(next.getLastSuccessfulTime()).map(Instant::parse).orElse(null),
                slots.next(now).flatMap(a -> slots.next(a).map(b -> Duration.between(a, b))).orElse(null));
        return patchIfChanged(schedule, current, next, decision.more() ? Optional.of(Duration.ofSeconds(1))
                : decision.nextRun().map(at -> Duration.between(now, at)));
    }

    /**
     * Deleting a schedule keeps its snapshots: they are let go (their owner reference removed) before the
     * schedule goes, so neither garbage collection nor their deletionPolicy takes the backups with it. One
     * already being deleted (a foreground cascade that ran while the operator was down) keeps its reference
     * to the schedule being deleted, which is what tells its finalizer to keep its data.
     */
    @Override
    public DeleteControl cleanup(SnapshotSchedule schedule, Context<SnapshotSchedule> context) {
        metrics.scheduleGone(schedule.getMetadata().getNamespace(), schedule.getMetadata().getName());
        KubernetesClient client = context.getClient();
        String uid = schedule.getMetadata().getUid();
        List<DatabaseSnapshot> owned = listedOwned(client, schedule).stream()
                .filter(s -> s.getMetadata().getDeletionTimestamp() == null).toList();
        for (DatabaseSnapshot snapshot : owned) {
            client.resource(snapshot).edit(s -> {
                s.getMetadata().setOwnerReferences(s.getMetadata().getOwnerReferences().stream()
                        .filter(o -> !uid.equals(o.getUid())).toList());
                return s;
            });
        }
        if (!owned.isEmpty()) {
            LOG.infof("%s/%s deleted: its %d snapshot(s) are kept, no longer owned", schedule.getMetadata()
                    .getNamespace(), schedule.getMetadata().getName(), owned.size());
        }
        return DeleteControl.defaultDelete();
    }

    /** The schedule's snapshots as the API server has them now, not as the informer last saw them. */
    private static List<DatabaseSnapshot> listedOwned(KubernetesClient client, SnapshotSchedule schedule) {
        return client.resources(DatabaseSnapshot.class).inNamespace(schedule.getMetadata().getNamespace())
                .withLabel(DatabaseSnapshot.LABEL_SCHEDULE, KubernetesNames.labelValue(schedule.getMetadata().getName()))
                .list().getItems().stream().filter(s -> ScheduledSnapshots.ownedBy(s, schedule)).toList();
    }

    private static Duration deadline(SnapshotScheduleSpec spec) {
        long seconds = Optional.ofNullable(spec.getStartingDeadlineSeconds()).orElse(DEFAULT_DEADLINE.toSeconds());
        return Duration.ofSeconds(Math.max(1, Math.min(seconds, SnapshotScheduleSpec.MAX_DEADLINE_SECONDS)));
    }

    /** The status's slotsDecidedUntil; one that cannot be read decides up to now (never a burst of old slots). */
    private static Instant decided(SnapshotScheduleStatus status, Instant now) {
        try {
            return Instant.parse(status.getSlotsDecidedUntil());
        } catch (DateTimeParseException e) {
            LOG.warnf("status.slotsDecidedUntil '%s' is not a time: deciding from now", status.getSlotsDecidedUntil());
            return now;
        }
    }

    /** Replace: the running snapshot is deleted, if it still runs (looked at afresh, not from the cache). */
    private static void replace(KubernetesClient client, SnapshotSchedule schedule, String name) {
        var resource = client.resources(DatabaseSnapshot.class).inNamespace(schedule.getMetadata().getNamespace())
                .withName(name);
        DatabaseSnapshot fresh = resource.get();
        if (fresh == null || !ScheduledSnapshots.running(fresh) || !ScheduledSnapshots.ownedBy(fresh, schedule)) {
            return;
        }
        try {
            resource.delete();
            EventRecorder.normal(client, schedule, "Replaced", "deleted running snapshot " + name
                    + " (concurrencyPolicy: Replace)");
        } catch (KubernetesClientException e) {
            EventRecorder.warning(client, schedule, "ReplaceFailed", "could not delete running snapshot " + name
                    + ": " + e.getMessage());
        }
    }

    /**
     * consecutiveFailures, counted as results come in, in slot order up to the first snapshot still
     * running, so retention deleting failed snapshots never lowers it.
     */
    private static void countResults(SnapshotScheduleStatus next, List<DatabaseSnapshot> snapshots) {
        Instant counted = Optional.ofNullable(next.getResultsCountedUntil()).map(Instant::parse).orElse(Instant.MIN);
        int failures = Optional.ofNullable(next.getConsecutiveFailures()).orElse(0);
        for (DatabaseSnapshot s : snapshots) {
            Instant slot = ScheduledSnapshots.slotOf(s);
            if (!slot.isAfter(counted)) {
                continue;
            }
            if (!ScheduledSnapshots.phase(s).isFinal()) {
                break;
            }
            failures = ScheduledSnapshots.phase(s) == JobPhase.Succeeded ? 0 : failures + 1;
            counted = slot;
        }
        next.setConsecutiveFailures(failures);
        if (!counted.equals(Instant.MIN)) {
            next.setResultsCountedUntil(Conditions.timestamp(counted));
        }
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

    /** What became of a slot's snapshot; {@code problem} only when the API refused it. */
    record Outcome(Kind kind, Optional<Problem> problem) {
        enum Kind { CREATED, ADOPTED, NAME_TAKEN, FAILED }

        static final Outcome CREATED = new Outcome(Kind.CREATED, Optional.empty());
        static final Outcome ADOPTED = new Outcome(Kind.ADOPTED, Optional.empty());
        static final Outcome NAME_TAKEN = new Outcome(Kind.NAME_TAKEN, Optional.empty());

        static Outcome failed(String message) {
            return new Outcome(Kind.FAILED, Optional.of(new Problem(SlotPlanner.CREATE_FAILED, message)));
        }

        boolean made() {
            return kind == Kind.CREATED || kind == Kind.ADOPTED;
        }
    }

    /**
     * The slot's snapshot: created, or the schedule's own found under its name (made before a restart or
     * seen late by the informer). Something else holding the name skips the slot, never taken over; an
     * API refusal (a quota, a webhook) skips it too, with the API's words, and the schedule goes on.
     */
    private static Outcome ensureSnapshot(KubernetesClient client, SnapshotSchedule schedule, Instant slot,
                                          SnapshotScheduleStatus next, String why) {
        DatabaseSnapshot wanted = ScheduledSnapshots.of(schedule, slot, client.getKubernetesSerialization());
        String name = wanted.getMetadata().getName();
        var resource = client.resources(DatabaseSnapshot.class).inNamespace(schedule.getMetadata().getNamespace())
                .withName(name);
        Outcome outcome;
        try {
            // create, and only if the name is taken look at what holds it: one call where nothing does
            DatabaseSnapshot found;
            try {
                client.resource(wanted).create();
                found = wanted;
                outcome = Outcome.CREATED;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                found = resource.get();
                outcome = Outcome.ADOPTED;
            }
            if (found == null || (outcome.kind() == Outcome.Kind.ADOPTED && !ScheduledSnapshots.ownedBy(found, schedule))) {
                EventRecorder.warning(client, schedule, "Skipped", "slot " + slot + " skipped (" + SlotPlanner.NAME_TAKEN
                        + "): DatabaseSnapshot " + name + " exists and is not this schedule's; rename or delete it");
                return Outcome.NAME_TAKEN;
            }
        } catch (KubernetesClientException e) {
            String message = "could not create DatabaseSnapshot " + name + " for " + why + ": " + e.getMessage();
            EventRecorder.warning(client, schedule, "Skipped", message);
            return Outcome.failed(message);
        }
        if (outcome.kind() == Outcome.Kind.CREATED) {
            EventRecorder.normal(client, schedule, "Scheduled", "created DatabaseSnapshot " + name + " (" + why + ")");
            LOG.infof("%s/%s: created snapshot %s for %s", schedule.getMetadata().getNamespace(),
                    schedule.getMetadata().getName(), name, why);
        }
        next.setLastScheduleTime(Conditions.timestamp(slot));
        next.setLastSnapshot(name);
        return outcome;
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

    /** Deletes what the policy lets go (looked at afresh first); returns the names deleted. */
    private Set<String> applyRetention(KubernetesClient client, SnapshotSchedule schedule,
                                       List<DatabaseSnapshot> snapshots, CronSlots slots, Restores restores,
                                       Optional<Instant> nextRun, SnapshotScheduleStatus next, Instant now) {
        if (schedule.getSpec().getRetention() == null) {
            next.setRetention(null);
            return Set.of();
        }
        var source = schedule.getSpec().getSnapshotTemplate().getSpec().getSource();
        BiFunction<List<DatabaseSnapshot>, Set<String>, Retention.Plan> planOf = (candidates, pinned) ->
                ScheduleRetention.plan(candidates, schedule.getSpec().getRetention(), slots.zone(), pinned,
                        Optional.empty(), source, now);
        Retention.Plan plan = planOf.apply(snapshots, Set.of());
        // about to delete: plan again on a fresh list, so a lagging cache (still showing a newer snapshot
        // someone deleted) cannot make the last good one look superseded
        List<DatabaseSnapshot> current = plan.deleted().isEmpty() ? snapshots : listedOwned(client, schedule);
        if (!plan.deleted().isEmpty()) {
            plan = planOf.apply(current, Set.of());
        }
        Optional<Set<String>> inUse = plan.deleted().isEmpty() ? Optional.of(Set.of()) : restores.reading(current);
        if (inUse.isEmpty()) {
            LOG.debugf("%s/%s: a restore of this schedule's newest has not said which yet; retention waits",
                    schedule.getMetadata().getNamespace(), schedule.getMetadata().getName());
            return Set.of();
        }
        if (!inUse.get().isEmpty()) {
            plan = planOf.apply(current, inUse.get());
        }
        RetentionStatus retention = next.getRetention() == null ? new RetentionStatus() : next.getRetention();
        long deleted = retention.getDeleted() == null ? 0 : retention.getDeleted();
        Set<String> gone = new java.util.HashSet<>();
        for (Retention.Verdict verdict : plan.verdicts()) {
            if (!verdict.keep() && deleteIfStillExpired(client, schedule, verdict)) {
                gone.add(verdict.id());
                deleted++;
            }
        }
        if (!gone.isEmpty() || retention.getLastAppliedTime() == null) {
            retention.setLastAppliedTime(Conditions.timestamp(now));
        }
        retention.setKept(plan.kept().size());
        retention.setDeleted(deleted);
        // as retention will read it when the next slot's snapshot is in: that snapshot counted, at that time
        Set<String> pinned = inUse.get();
        List<String> pushedOut = nextRun.map(at -> ScheduleRetention.plan(current.stream()
                        .filter(s -> !gone.contains(s.getMetadata().getName())).toList(),
                schedule.getSpec().getRetention(), slots.zone(), pinned, Optional.of(at), source, at).deleted())
                .orElse(List.of());
        retention.setNextDeletions(pushedOut.stream().filter(n -> !n.equals(ScheduleRetention.NEXT)).sorted().toList());
        next.setRetention(retention);
        return gone;
    }

    /** The snapshot as the API server has it now: still this schedule's, finished, not pinned; then deleted. */
    private static boolean deleteIfStillExpired(KubernetesClient client, SnapshotSchedule schedule,
                                                Retention.Verdict verdict) {
        var resource = client.resources(DatabaseSnapshot.class).inNamespace(schedule.getMetadata().getNamespace())
                .withName(verdict.id());
        try {
            DatabaseSnapshot fresh = resource.get();
            if (fresh == null || !ScheduledSnapshots.ownedBy(fresh, schedule) || ScheduledSnapshots.pinned(fresh)
                    || !ScheduledSnapshots.phase(fresh).isFinal() || fresh.getMetadata().getDeletionTimestamp() != null) {
                return false;
            }
            client.resource(fresh).lockResourceVersion(fresh.getMetadata().getResourceVersion()).delete();
        } catch (KubernetesClientException e) {
            EventRecorder.warning(client, schedule, "RetentionFailed", "could not delete DatabaseSnapshot "
                    + verdict.id() + ": " + e.getMessage() + "; retention tries again at the next reconcile");
            return false;
        }
        EventRecorder.normal(client, schedule, "RetentionDeleted", "deleted DatabaseSnapshot " + verdict.id() + " ("
                + String.join(", ", verdict.reasons()) + ")");
        return true;
    }

    /**
     * The fields that describe the snapshots and the schedule's health, from what there is now
     * ({@code madeNow}: snapshots created in this reconcile, which the informer may not show yet).
     */
    private static void describe(SnapshotScheduleStatus next, List<DatabaseSnapshot> snapshots, Set<String> madeNow,
                                 CronSlots slots, Duration jitter, Instant created, long generation, Instant now,
                                 Optional<Problem> notReady) {
        List<String> active = new ArrayList<>(active(snapshots));
        madeNow.stream().filter(n -> snapshots.stream().noneMatch(s -> s.getMetadata().getName().equals(n)))
                .forEach(active::add);
        next.setActive(active.size());
        next.setActiveSnapshots(active.isEmpty() ? null : active);
        Optional<DatabaseSnapshot> newest = ScheduledSnapshots.newestSucceeded(snapshots);
        newest.map(s -> s.getStatus().getCompletionTime()).ifPresent(next::setLastSuccessfulTime);
        boolean suspended = Boolean.TRUE.equals(next.getSuspended());
        Instant decided = Instant.parse(next.getSlotsDecidedUntil());
        // a suspended schedule has no next run
        next.setNextScheduleTime(suspended ? null
                : slots.next(decided).map(s -> Conditions.timestamp(s.plus(jitter))).orElse(null));
        next.setConditions(Conditions.set(next.getConditions(), notReady
                .map(p -> Conditions.of(READY, false, p.reason(), p.message(), generation))
                .orElseGet(() -> Conditions.of(READY, true, "Scheduled", suspended ? "suspended"
                        : next.getNextScheduleTime() == null ? "no slot is left"
                        : "next snapshot at " + next.getNextScheduleTime(), generation)), now));
        next.setConditions(Conditions.set(next.getConditions(), Conditions.of(SUSPENDED, suspended,
                suspended ? "SuspendedBySpec" : "Active", suspended ? "spec.suspend is true: slots are counted as missed"
                        : "slots run", generation), now));
        // stale: more than two periods (the second slot after the last success ended, or after the start, has
        // passed) without another success; from its end, so a run longer than a period is not stale by itself
        Instant since = newest.map(s -> Optional.ofNullable(s.getStatus().getCompletionTime()).map(Instant::parse)
                .orElse(ScheduledSnapshots.slotOf(s))).orElse(created);
        List<Instant> sinceThen = slots.between(since, now.minus(jitter), 2);
        boolean stale = sinceThen.size() == 2 && sinceThen.get(1).isBefore(now.minus(jitter));
        next.setConditions(Conditions.set(next.getConditions(), Conditions.of(STALE, stale,
                stale ? "NoRecentSuccess" : "Fresh", stale ? "no Succeeded snapshot for more than two periods"
                        + newest.map(s -> "; the last is " + s.getMetadata().getName()).orElse("; none yet")
                        : "a Succeeded snapshot is recent", generation), now));
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
        // a slot is strictly after the reconcile that names it, so a short wait cannot spin; rounding it up to
        // a second made a slot start up to a second late after any reconcile in the second before it
        Duration after = wake.map(d -> d.compareTo(MIN_WAKE) < 0 ? MIN_WAKE : d)
                .filter(d -> d.compareTo(POLL) < 0).orElse(POLL);
        if (Objects.equals(current, next)) {
            return UpdateControl.<SnapshotSchedule>noUpdate().rescheduleAfter(after);
        }
        schedule.setStatus(next);
        return UpdateControl.patchStatus(schedule).rescheduleAfter(after);
    }

    /** The namespace's SnapshotRestores, listed once and only when asked for. */
    private static final class Restores {
        private final KubernetesClient client;
        private final WatchedNamespaces watched;
        private final SnapshotSchedule schedule;
        private List<SnapshotRestore> listed;
        private List<String> writing;

        Restores(KubernetesClient client, WatchedNamespaces watched, SnapshotSchedule schedule) {
            this.client = client;
            this.watched = watched;
            this.schedule = schedule;
        }

        private List<SnapshotRestore> all() {
            if (listed == null) {
                listed = client.resources(SnapshotRestore.class).inNamespace(schedule.getMetadata().getNamespace())
                        .list().getItems();
            }
            return listed;
        }

        /** The running restores that may be writing into the schedule's database. */
        List<String> writingInto() {
            if (writing == null) {
                String namespace = schedule.getMetadata().getNamespace();
                writing = RestoresInto.running(schedule, all(), name -> Optional.ofNullable(
                        client.resources(DatabaseSnapshot.class).inNamespace(namespace).withName(name).get()));
            }
            return writing;
        }

        /** {@link #writingInto()} if it was asked for in this reconcile, else none (for messages only). */
        List<String> writingIntoIfAsked() {
            return writing == null ? List.of() : writing;
        }

        /**
         * Restores in any watched namespace may read this schedule's stored folders (a location source crosses
         * namespaces); restores in namespaces the operator does not watch are not its to know.
         */
        Optional<Set<String>> reading(List<DatabaseSnapshot> snapshots) {
            return RestoresInto.snapshotsInUse(schedule, watched.list(client, SnapshotRestore.class), snapshots);
        }
    }
}
