package io.dbsnap.operator.schedule;

import io.dbsnap.api.v1alpha1.schedule.ConcurrencyPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which slot runs, which are missed and why, with time as an argument: catch-up after 1 and after
 * 400 missed slots, suspend and resume, spec edits, Forbid and Replace, jitter, the restart race.
 */
class SlotPlannerTest {

    private static final CronSlots HOURLY = CronSlots.parse("0 * * * *", "UTC").slots();
    private static final CronSlots EVERY_MINUTE = CronSlots.parse("* * * * *", "UTC").slots();
    private static final Instant CREATED = Instant.parse("2026-12-01T00:10:00Z");
    private static final Duration HOUR = Duration.ofHours(1);
    private static final java.util.function.Function<Instant, String> NAMES = slot -> ScheduledSnapshots.name("nightly",
            slot);

    private static SlotPlanner.Input input(CronSlots slots, Instant decidedUntil, Instant now) {
        return new SlotPlanner.Input(slots, Duration.ZERO, HOUR, ConcurrencyPolicy.Forbid, false, CREATED, decidedUntil,
                false, now, Set.of(), List.of(), false, 1000, NAMES);
    }

    private static Instant at(String time) {
        return Instant.parse(time);
    }

    @Test
    void nothingIsDueBeforeTheFirstSlotAfterCreation() {
        SlotPlanner.Decision d = SlotPlanner.decide(input(HOURLY, null, at("2026-12-01T00:59:59Z")));
        assertThat(d.run()).isEmpty();
        assertThat(d.missed().count()).isZero();
        assertThat(d.decidedUntil()).isEqualTo(CREATED);
        assertThat(d.nextRun()).contains(at("2026-12-01T01:00:00Z"));
        // the slot before creation (00:00) was never this schedule's
        SlotPlanner.Decision due = SlotPlanner.decide(input(HOURLY, null, at("2026-12-01T01:00:03Z")));
        assertThat(due.run()).contains(at("2026-12-01T01:00:00Z"));
        assertThat(due.adopt()).isFalse();
        assertThat(due.decidedUntil()).isEqualTo(at("2026-12-01T01:00:00Z"));
        assertThat(due.nextRun()).contains(at("2026-12-01T02:00:00Z"));
    }

    @Test
    void afterOneMissedSlotTheNewestRunsOnceAndTheOtherIsCounted() {
        SlotPlanner.Decision d = SlotPlanner.decide(input(HOURLY, at("2026-12-01T01:00:00Z"),
                at("2026-12-01T03:20:00Z")));
        assertThat(d.run()).contains(at("2026-12-01T03:00:00Z"));
        assertThat(d.missed()).isEqualTo(new SlotPlanner.Missed(1, at("2026-12-01T02:00:00Z"),
                SlotPlanner.CONTROLLER_DOWN));
        // decided: asked again a second later, nothing more runs
        SlotPlanner.Decision again = SlotPlanner.decide(input(HOURLY, d.decidedUntil(), at("2026-12-01T03:20:01Z")));
        assertThat(again.run()).isEmpty();
        assertThat(again.missed().count()).isZero();
    }

    @Test
    void after400MissedSlotsExactlyOneRunsInsideTheDeadlineAndNoneOutsideIt() {
        Instant down = at("2026-12-01T00:00:00Z");
        // 400 minutes later, 20 s after the newest slot: inside the hour's deadline
        SlotPlanner.Decision inside = SlotPlanner.decide(input(EVERY_MINUTE, down, down.plusSeconds(400 * 60 + 20)));
        assertThat(inside.run()).contains(down.plusSeconds(400 * 60));
        assertThat(inside.missed().count()).isEqualTo(399);
        assertThat(inside.missed().reason()).isEqualTo(SlotPlanner.CONTROLLER_DOWN);
        // a daily schedule back 2 h after its slot, with a 1 h deadline: too late, counted, not run
        CronSlots daily = CronSlots.parse("0 2 * * *", "UTC").slots();
        SlotPlanner.Decision outside = SlotPlanner.decide(input(daily, at("2026-11-01T02:00:00Z"),
                at("2026-12-01T04:00:00Z")));
        assertThat(outside.run()).isEmpty();
        assertThat(outside.missed().count()).isEqualTo(30);
        assertThat(outside.missed().reason()).isEqualTo(SlotPlanner.TOO_LATE);
        assertThat(outside.missed().lastSlot()).isEqualTo(at("2026-12-01T02:00:00Z"));
        assertThat(outside.nextRun()).contains(at("2026-12-02T02:00:00Z"));
    }

    @Test
    void aBacklogLongerThanOneDecisionIsCountedInStepsAndStillRunsOnlyTheNewest() {
        Instant down = at("2026-11-01T00:00:00Z");
        Instant now = at("2026-12-01T00:00:30Z");
        long total = 0;
        int runs = 0;
        Instant decided = down;
        for (int pass = 0; pass < 10; pass++) {
            SlotPlanner.Decision d = SlotPlanner.decide(input(EVERY_MINUTE, decided, now));
            total += d.missed().count();
            runs += d.run().isPresent() ? 1 : 0;
            decided = d.decidedUntil();
            if (!d.more()) {
                break;
            }
        }
        assertThat(runs).isEqualTo(1);
        assertThat(decided).isEqualTo(at("2026-12-01T00:00:00Z"));
        // 30 days of minutes, less the one that ran
        assertThat(total).isEqualTo(30L * 24 * 60 - 1);
    }

    @Test
    void suspendedSlotsAreCountedAndResumingFiresNothingOld() {
        SlotPlanner.Input suspended = new SlotPlanner.Input(HOURLY, Duration.ZERO, HOUR, ConcurrencyPolicy.Forbid, true,
                CREATED, at("2026-12-01T01:00:00Z"), false, at("2026-12-01T02:00:05Z"), Set.of(), List.of(), false, 1000,
                NAMES);
        SlotPlanner.Decision d = SlotPlanner.decide(suspended);
        assertThat(d.run()).isEmpty();
        assertThat(d.missed().reason()).isEqualTo(SlotPlanner.SUSPENDED);
        // resumed (an edit) at 03:30 with the 03:00 slot undecided: dropped, the next slot is 04:00
        SlotPlanner.Input resumed = new SlotPlanner.Input(HOURLY, Duration.ZERO, HOUR, ConcurrencyPolicy.Forbid, false,
                CREATED, d.decidedUntil(), true, at("2026-12-01T03:30:00Z"), Set.of(), List.of(), false, 1000,
                NAMES);
        SlotPlanner.Decision r = SlotPlanner.decide(resumed);
        assertThat(r.run()).isEmpty();
        assertThat(r.missed()).isEqualTo(new SlotPlanner.Missed(1, at("2026-12-01T03:00:00Z"), SlotPlanner.SPEC_EDITED));
        assertThat(r.decidedUntil()).isEqualTo(at("2026-12-01T03:30:00Z"));
        assertThat(r.nextRun()).contains(at("2026-12-01T04:00:00Z"));
        assertThat(SlotPlanner.decide(input(HOURLY, r.decidedUntil(), at("2026-12-01T03:59:00Z"))).run()).isEmpty();
    }

    @Test
    void anEditNeverFiresARunByItself() {
        // edited from daily to every minute at 10:00:30: the 10:00 slot of the new expression does not run
        SlotPlanner.Input edited = new SlotPlanner.Input(EVERY_MINUTE, Duration.ZERO, HOUR, ConcurrencyPolicy.Forbid,
                false, CREATED, at("2026-12-01T02:00:00Z"), true, at("2026-12-01T10:00:30Z"), Set.of(), List.of(),
                false, 1000, NAMES);
        SlotPlanner.Decision d = SlotPlanner.decide(edited);
        assertThat(d.run()).isEmpty();
        // what the new expression had due since the last decision is counted, never run
        assertThat(d.missed().count()).isEqualTo(8 * 60);
        assertThat(d.missed().reason()).isEqualTo(SlotPlanner.SPEC_EDITED);
        assertThat(d.nextRun()).contains(at("2026-12-01T10:01:00Z"));
    }

    @Test
    void forbidSkipsWhileASnapshotRunsReplaceDeletesItAllowStartsBeside() {
        Instant now = at("2026-12-01T02:00:02Z");
        List<String> running = List.of("nightly-202612010100");
        for (ConcurrencyPolicy policy : ConcurrencyPolicy.values()) {
            SlotPlanner.Decision d = SlotPlanner.decide(new SlotPlanner.Input(HOURLY, Duration.ZERO, HOUR, policy,
                    false, CREATED, at("2026-12-01T01:00:00Z"), false, now, Set.copyOf(running), running, false, 1000,
                    NAMES));
            switch (policy) {
                case Forbid -> {
                    assertThat(d.run()).isEmpty();
                    assertThat(d.missed().reason()).isEqualTo(SlotPlanner.CONCURRENCY_FORBID);
                }
                case Replace -> {
                    assertThat(d.run()).contains(at("2026-12-01T02:00:00Z"));
                    assertThat(d.replace()).containsExactlyElementsOf(running);
                }
                case Allow -> {
                    assertThat(d.run()).contains(at("2026-12-01T02:00:00Z"));
                    assertThat(d.replace()).isEmpty();
                }
            }
        }
    }

    @Test
    void aSnapshotCreatedBeforeARestartIsAdoptedNeverTakenTwiceEvenPastTheDeadline() {
        String made = ScheduledSnapshots.name("nightly", at("2026-12-01T02:00:00Z"));
        for (Instant now : new Instant[]{at("2026-12-01T02:00:10Z"), at("2026-12-01T05:00:00Z")}) {
            SlotPlanner.Decision d = SlotPlanner.decide(new SlotPlanner.Input(HOURLY, Duration.ZERO, HOUR,
                    ConcurrencyPolicy.Forbid, false, CREATED, at("2026-12-01T01:00:00Z"), false, now, Set.of(made),
                    List.of(made), false, 1000, NAMES));
            if (now.equals(at("2026-12-01T02:00:10Z"))) {
                assertThat(d.run()).contains(at("2026-12-01T02:00:00Z"));
                assertThat(d.adopt()).isTrue();
                assertThat(d.missed().count()).isZero();
            } else {
                // 03:00 and 04:00 were missed while it ran; 05:00 is skipped, as Forbid says, not doubled
                assertThat(d.missed().count()).isEqualTo(3);
            }
        }
    }

    @Test
    void aRunningRestoreAndTheSnapshotLimitSkipTheSlot() {
        Instant now = at("2026-12-01T02:00:02Z");
        SlotPlanner.Decision restore = SlotPlanner.decide(new SlotPlanner.Input(HOURLY, Duration.ZERO, HOUR,
                ConcurrencyPolicy.Allow, false, CREATED, at("2026-12-01T01:00:00Z"), false, now, Set.of(), List.of(),
                true, 1000, NAMES));
        assertThat(restore.run()).isEmpty();
        assertThat(restore.missed().reason()).isEqualTo(SlotPlanner.RESTORE_IN_PROGRESS);
        SlotPlanner.Decision full = SlotPlanner.decide(new SlotPlanner.Input(HOURLY, Duration.ZERO, HOUR,
                ConcurrencyPolicy.Allow, false, CREATED, at("2026-12-01T01:00:00Z"), false, now, Set.of("a", "b"),
                List.of(), false, 2, NAMES));
        assertThat(full.run()).isEmpty();
        assertThat(full.missed().reason()).isEqualTo(SlotPlanner.TOO_MANY_SNAPSHOTS);
    }

    @Test
    void jitterMovesEverySlotByTheSameAmountUnderItsBound() {
        Duration bound = Duration.ofMinutes(15);
        Duration offset = Jitter.offset("3f1c9b2e-uid", bound);
        assertThat(offset).isEqualTo(Jitter.offset("3f1c9b2e-uid", bound)).isLessThan(bound).isGreaterThanOrEqualTo(Duration.ZERO);
        long distinct = java.util.stream.IntStream.range(0, 200).mapToObj(i -> Jitter.offset("uid-" + i, bound))
                .distinct().count();
        assertThat(distinct).as("200 schedules spread over the bound").isGreaterThan(150);
        java.util.stream.IntStream.range(0, 1000).forEach(i -> assertThat(Jitter.offset("u" + i, bound))
                .isLessThan(bound).isGreaterThanOrEqualTo(Duration.ZERO));
        // due at slot + offset; named and recorded by the slot
        Instant slot = at("2026-12-01T02:00:00Z");
        SlotPlanner.Input before = new SlotPlanner.Input(HOURLY, offset, HOUR, ConcurrencyPolicy.Forbid, false, CREATED,
                at("2026-12-01T01:00:00Z"), false, slot.plus(offset).minusSeconds(1), Set.of(), List.of(), false, 1000,
                NAMES);
        assertThat(SlotPlanner.decide(before).run()).isEmpty();
        assertThat(SlotPlanner.decide(before).nextRun()).contains(slot.plus(offset));
        SlotPlanner.Input after = new SlotPlanner.Input(HOURLY, offset, HOUR, ConcurrencyPolicy.Forbid, false, CREATED,
                at("2026-12-01T01:00:00Z"), false, slot.plus(offset), Set.of(), List.of(), false, 1000,
                NAMES);
        assertThat(SlotPlanner.decide(after).run()).contains(slot);
        assertThat(Jitter.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Jitter.parse(null)).isZero();
        assertThat(Jitter.offset("x", Duration.ZERO)).isZero();
    }
}
