package io.dbsnap.core.catalog;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The retention rules, as restic and K8up read them, on the cases that break naive versions. */
class RetentionTest {

    private static final Instant NOW = Instant.parse("2027-01-10T12:00:00Z");

    private static Retention.Candidate ok(String at) {
        return new Retention.Candidate(at, Instant.parse(at), true, false);
    }

    private static Retention.Candidate failed(String at) {
        return new Retention.Candidate(at, Instant.parse(at), false, false);
    }

    private static RetentionRules rules(int last, int hourly, int daily, int weekly, int monthly, int yearly) {
        return new RetentionRules(last, hourly, daily, weekly, monthly, yearly, Optional.empty(), 1);
    }

    private static List<String> kept(List<Retention.Candidate> all, RetentionRules rules) {
        return Retention.plan(all, rules, ZoneOffset.UTC, NOW).kept();
    }

    @Test
    void dailyKeepsTheNewestOfEachOfTheLastNDaysThatHaveOne() {
        List<Retention.Candidate> all = List.of(ok("2027-01-05T01:00:00Z"), ok("2027-01-05T13:00:00Z"),
                ok("2027-01-07T01:00:00Z"), ok("2027-01-09T01:00:00Z"), ok("2027-01-09T23:00:00Z"));
        // days without a snapshot (the 6th, the 8th) do not use up the rule
        assertThat(kept(all, rules(0, 0, 3, 0, 0, 0)))
                .containsExactly("2027-01-09T23:00:00Z", "2027-01-07T01:00:00Z", "2027-01-05T13:00:00Z");
        assertThat(kept(all, rules(2, 0, 0, 0, 0, 0))).containsExactly("2027-01-09T23:00:00Z", "2027-01-09T01:00:00Z");
        // rules add up: the union of what each keeps
        assertThat(kept(all, rules(2, 0, 3, 0, 0, 0))).hasSize(4);
    }

    @Test
    void weeksAreIsoWeeksAcrossTheYearBoundaryAndWeek53() {
        // 2026-12-31 (Thu) and 2027-01-03 (Sun) are both in ISO week 2026-W53; 2027-01-04 starts 2027-W01
        List<Retention.Candidate> all = List.of(ok("2026-12-28T00:00:00Z"), ok("2026-12-31T00:00:00Z"),
                ok("2027-01-03T00:00:00Z"), ok("2027-01-04T00:00:00Z"), ok("2026-12-21T00:00:00Z"));
        Retention.Plan plan = Retention.plan(all, rules(0, 0, 0, 2, 0, 0), ZoneOffset.UTC, NOW);
        assertThat(plan.kept()).containsExactly("2027-01-04T00:00:00Z", "2027-01-03T00:00:00Z");
        assertThat(plan.verdicts().get(1).reasons()).contains("weekly 2026-W53");
        // months and years go by the calendar
        assertThat(kept(all, rules(0, 0, 0, 0, 2, 0))).containsExactly("2027-01-04T00:00:00Z", "2026-12-31T00:00:00Z");
        assertThat(kept(all, rules(0, 0, 0, 0, 0, 5))).containsExactly("2027-01-04T00:00:00Z", "2026-12-31T00:00:00Z");
    }

    @Test
    void periodsAreCountedInTheSchedulesTimeZone() {
        // 23:30 UTC on the 4th is already the 5th in Berlin: two snapshots of one Berlin day
        List<Retention.Candidate> all = List.of(ok("2027-01-04T23:30:00Z"), ok("2027-01-05T10:00:00Z"));
        assertThat(Retention.plan(all, rules(0, 0, 2, 0, 0, 0), ZoneOffset.UTC, NOW).kept()).hasSize(2);
        assertThat(Retention.plan(all, rules(0, 0, 2, 0, 0, 0), ZoneId.of("Europe/Berlin"), NOW).kept())
                .containsExactly("2027-01-05T10:00:00Z");
    }

    @Test
    void theHourAClockTurnsBackRepeatsIsTwoHoursOfSnapshots() {
        // Zurich, 25 October 2026: 02:30 CEST (00:30Z) and 02:30 CET (01:30Z) are two hours
        List<Retention.Candidate> all = List.of(ok("2026-10-24T23:30:00Z"), ok("2026-10-25T00:30:00Z"),
                ok("2026-10-25T01:30:00Z"), ok("2026-10-25T02:30:00Z"));
        assertThat(Retention.plan(all, rules(0, 4, 0, 0, 0, 0), ZoneId.of("Europe/Zurich"), NOW).kept()).hasSize(4);
        assertThat(Retention.plan(all, rules(0, 3, 0, 0, 0, 0), ZoneId.of("Europe/Zurich"), NOW).deleted())
                .containsExactly("2026-10-24T23:30:00Z");
        // and the hour a clock skips in spring is none: 01:30 and 03:30 CEST on 28 March 2027 are two hours apart
        List<Retention.Candidate> spring = List.of(ok("2027-03-28T00:30:00Z"), ok("2027-03-28T01:30:00Z"));
        assertThat(Retention.plan(spring, rules(0, 2, 0, 0, 0, 0), ZoneId.of("Europe/Zurich"),
                Instant.parse("2027-04-01T00:00:00Z")).kept()).hasSize(2);
    }

    @Test
    void failedRunsNeverPushAGoodSnapshotOut() {
        List<Retention.Candidate> all = new ArrayList<>(List.of(ok("2027-01-01T00:00:00Z"), ok("2027-01-02T00:00:00Z")));
        for (int day = 3; day <= 9; day++) {
            all.add(failed("2027-01-0" + day + "T00:00:00Z"));
        }
        Retention.Plan plan = Retention.plan(all, rules(2, 0, 0, 0, 0, 0), ZoneOffset.UTC, NOW);
        // both good ones stay; of seven failed, the newest is kept for inspection (keepFailed 1)
        assertThat(plan.kept()).containsExactly("2027-01-09T00:00:00Z", "2027-01-02T00:00:00Z", "2027-01-01T00:00:00Z");
        assertThat(plan.deleted()).hasSize(6);
    }

    @Test
    void maxAgeCountsBackFromTheNewestSucceededSoStoppedSnapshotsAndAFastClockKeepTheHistory() {
        List<Retention.Candidate> all = List.of(ok("2026-01-01T00:00:00Z"), ok("2026-02-01T00:00:00Z"),
                ok("2026-03-01T00:00:00Z"), failed("2027-01-09T00:00:00Z"));
        RetentionRules rules = new RetentionRules(3, 0, 0, 0, 0, 0, Optional.of(Duration.ofDays(30)), 0);
        Retention.Plan plan = Retention.plan(all, rules, ZoneOffset.UTC, NOW);
        // snapshots stopped succeeding in March: the 30 days before the last good one stay, the rest goes
        assertThat(plan.kept()).containsExactly("2026-03-01T00:00:00Z", "2026-02-01T00:00:00Z");
        assertThat(plan.verdicts().get(1).reasons()).containsExactly("newest Succeeded", "last 1");
        assertThat(plan.verdicts().get(3).reasons().get(0)).startsWith("older than max age before the newest Succeeded");
        // the same on a clock 40 days (or a year) ahead, and on one that is right
        for (Instant clock : List.of(NOW.plus(Duration.ofDays(40)), NOW.plus(Duration.ofDays(365)),
                Instant.parse("2026-03-02T00:00:00Z"))) {
            assertThat(Retention.plan(all, rules, ZoneOffset.UTC, clock).kept()).as("at " + clock)
                    .containsExactly("2026-03-01T00:00:00Z", "2026-02-01T00:00:00Z");
        }
        // daily snapshots that go on succeeding: what is older than 30 days before the newest goes
        List<Retention.Candidate> daily = new java.util.ArrayList<>();
        for (int day = 0; day < 40; day++) {
            daily.add(ok(Instant.parse("2026-12-01T02:00:00Z").plus(Duration.ofDays(day)).toString()));
        }
        RetentionRules ageAndLast = new RetentionRules(60, 0, 0, 0, 0, 0, Optional.of(Duration.ofDays(30)), 0);
        assertThat(Retention.plan(daily, ageAndLast, ZoneOffset.UTC, NOW).kept()).hasSize(31)
                .contains("2027-01-09T02:00:00Z", "2026-12-10T02:00:00Z").doesNotContain("2026-12-09T02:00:00Z");
        // with no keep rule, maxAge alone keeps everything younger than it
        RetentionRules ageOnly = new RetentionRules(0, 0, 0, 0, 0, 0, Optional.of(Duration.ofDays(400)), 0);
        assertThat(Retention.plan(all, ageOnly, ZoneOffset.UTC, NOW).kept()).hasSize(3);
    }

    @Test
    void pinnedSnapshotsAndOnesDatedInTheFutureAreNeverLetGo() {
        List<Retention.Candidate> all = List.of(new Retention.Candidate("pinned", Instant.parse("2026-01-01T00:00:00Z"),
                true, true), ok("2027-01-09T00:00:00Z"), ok("2027-01-10T00:00:00Z"),
                new Retention.Candidate("fast-clock", Instant.parse("2027-06-01T00:00:00Z"), true, false),
                new Retention.Candidate("pinned-failed", Instant.parse("2026-01-02T00:00:00Z"), false, true));
        Retention.Plan plan = Retention.plan(all, new RetentionRules(1, 0, 0, 0, 0, 0,
                Optional.of(Duration.ofDays(1)), 0), ZoneOffset.UTC, NOW);
        assertThat(plan.kept()).containsExactlyInAnyOrder("pinned", "fast-clock", "2027-01-10T00:00:00Z",
                "pinned-failed");
        // the future one did not count as "last 1": the real newest kept its place
        assertThat(plan.deleted()).containsExactly("2027-01-09T00:00:00Z");
    }

    @Test
    void nothingGoesWithoutARuleAndNegativeCountsAreRefused() {
        List<Retention.Candidate> all = List.of(ok("2026-01-01T00:00:00Z"), ok("2026-02-01T00:00:00Z"));
        assertThat(kept(all, rules(0, 0, 0, 0, 0, 0))).hasSize(2);
        assertThat(Retention.plan(List.of(), rules(1, 0, 0, 0, 0, 0), ZoneOffset.UTC, NOW).verdicts()).isEmpty();
        assertThatThrownBy(() -> rules(-1, 0, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(rules(7, 0, 7, 4, 0, 0).describe()).isEqualTo("last 7, daily 7, weekly 4");
    }
}
