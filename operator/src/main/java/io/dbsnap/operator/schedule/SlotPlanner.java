package io.dbsnap.operator.schedule;

import io.dbsnap.api.v1alpha1.schedule.ConcurrencyPolicy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What a schedule does about its slots at one moment, as a pure function of its spec, its status and
 * its snapshots: no clock and no API here. Every slot due since the last decision is either run,
 * or counted as missed with a reason; of a backlog (the operator was down, the schedule suspended)
 * only the newest slot can run, and only inside the deadline: never a burst.
 */
public final class SlotPlanner {

    public static final String CONTROLLER_DOWN = "ControllerDown";
    public static final String SUSPENDED = "Suspended";
    public static final String CONCURRENCY_FORBID = "ConcurrencyForbid";
    public static final String TOO_LATE = "TooLate";
    public static final String RESTORE_IN_PROGRESS = "RestoreInProgress";
    public static final String TOO_MANY_SNAPSHOTS = "TooManySnapshots";
    /** The API server refused the slot's snapshot (a quota, a webhook, the operator's RBAC). */
    public static final String CREATE_FAILED = "CreateFailed";
    /** Due when the spec was edited: an edit never fires a run by itself. */
    public static final String SPEC_EDITED = "SpecEdited";
    /** A slot's snapshot name is held by an object this schedule does not own. */
    public static final String NAME_TAKEN = "NameTaken";
    /** Slots looked at in one decision; a longer backlog is counted over several (each counts honestly). */
    static final int MAX_SLOTS_PER_DECISION = 10_000;

    private SlotPlanner() {
    }

    /**
     * @param decidedUntil the status's slotsDecidedUntil; null on a schedule's first reconcile
     * @param specEdited   the spec changed since the status was written: slots due by now are dropped, not run
     * @param existing     names of this schedule's own snapshots
     * @param active       names of those still running
     */
    public record Input(CronSlots slots, Duration jitter, Duration deadline, ConcurrencyPolicy policy,
                        boolean suspended, Instant created, Instant decidedUntil,
                        boolean specEdited, Instant now, Set<String> existing, List<String> active,
                        boolean restoreInProgress, int maxSnapshots, Function<Instant, String> nameOf) {
    }

    /** Slots this decision counted as missed: how many, the last, and why the last was. */
    public record Missed(long count, Instant lastSlot, String reason) {
        static final Missed NONE = new Missed(0, null, null);

        Missed plus(Instant slot, String why) {
            return new Missed(count + 1, slot, why);
        }
    }

    /**
     * @param run          the slot to take a snapshot for now (its name from {@code nameOf}), if any
     * @param adopt        that snapshot exists already (created before a restart): take it as this slot's
     * @param replace      running snapshots to delete first (concurrencyPolicy Replace)
     * @param decidedUntil the new slotsDecidedUntil
     * @param nextRun      when the next slot is due (slot plus jitter), if the expression has one
     * @param more         the backlog was longer than one decision looks at: decide again at once
     */
    public record Decision(Optional<Instant> run, boolean adopt, List<String> replace, Missed missed,
                           Instant decidedUntil, Optional<Instant> nextRun, boolean more) {
    }

    public static Decision decide(Input in) {
        Instant reference = in.decidedUntil() == null ? in.created() : in.decidedUntil();
        // a slot is due once slot + jitter has passed: the slots due by now are those up to now - jitter
        Instant dueBy = in.now().minus(in.jitter());
        if (in.specEdited() && in.decidedUntil() != null) {
            // an edit (a new schedule, a resume) never fires by itself: what was due before it is counted, not run
            List<Instant> dropped = in.slots().between(reference, dueBy, MAX_SLOTS_PER_DECISION);
            Missed missed = Missed.NONE;
            for (Instant slot : dropped) {
                missed = missed.plus(slot, SPEC_EDITED);
            }
            Instant edited = latest(reference, dueBy);
            return new Decision(Optional.empty(), false, List.of(), missed, edited, next(in, edited), false);
        }
        List<Instant> due = in.slots().between(reference, dueBy, MAX_SLOTS_PER_DECISION);
        if (due.isEmpty()) {
            return new Decision(Optional.empty(), false, List.of(), Missed.NONE, reference, next(in, reference), false);
        }
        boolean more = due.size() == MAX_SLOTS_PER_DECISION;
        Missed missed = Missed.NONE;
        for (Instant slot : due.subList(0, due.size() - 1)) {
            if (!in.existing().contains(in.nameOf().apply(slot))) {
                missed = missed.plus(slot, in.suspended() ? SUSPENDED : CONTROLLER_DOWN);
            }
        }
        Instant newest = due.get(due.size() - 1);
        Instant decided = newest;
        Optional<Instant> nextRun = next(in, decided);
        if (in.existing().contains(in.nameOf().apply(newest))) {
            // created before a restart wrote the status: this slot ran, it must not run twice
            return new Decision(Optional.of(newest), true, List.of(), missed, decided, nextRun, more);
        }
        String skip = more ? CONTROLLER_DOWN
                : in.suspended() ? SUSPENDED
                : in.now().isAfter(newest.plus(in.jitter()).plus(in.deadline())) ? TOO_LATE
                : in.restoreInProgress() ? RESTORE_IN_PROGRESS
                : in.existing().size() >= in.maxSnapshots() ? TOO_MANY_SNAPSHOTS
                : !in.active().isEmpty() && in.policy() == ConcurrencyPolicy.Forbid ? CONCURRENCY_FORBID
                : null;
        if (skip != null) {
            return new Decision(Optional.empty(), false, List.of(), missed.plus(newest, skip), decided, nextRun, more);
        }
        List<String> replace = in.policy() == ConcurrencyPolicy.Replace ? in.active() : List.of();
        return new Decision(Optional.of(newest), false, replace, missed, decided, nextRun, false);
    }

    /** The first slot after {@code after}, plus the jitter: when the schedule next has something to do. */
    private static Optional<Instant> next(Input in, Instant after) {
        return in.slots().next(after).map(slot -> slot.plus(in.jitter()));
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
