package io.dbsnap.operator.schedule;

import io.dbsnap.api.v1alpha1.schedule.RetentionPolicy;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotStatus;
import io.dbsnap.core.catalog.Retention;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ScheduleRetentionTest {

    private static final Instant FIRST = Instant.parse("2026-11-01T02:00:00Z");

    /** A Succeeded snapshot of slot {@code slot} (the operator's clock) that the API server made at {@code created}. */
    private static DatabaseSnapshot snapshot(String name, Instant slot, Instant created) {
        DatabaseSnapshot s = new DatabaseSnapshot();
        s.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("prod")
                .withAnnotations(Map.of(ScheduledSnapshots.ANNOTATION_SLOT, slot.toString()))
                .withCreationTimestamp(created.toString()).build());
        DatabaseSnapshotStatus status = new DatabaseSnapshotStatus();
        status.setPhase("Succeeded");
        s.setStatus(status);
        return s;
    }

    @Test
    void anOperatorClockThatJumpsAheadDatesNoSnapshotIntoTheFutureForMaxAgeToCountBackFrom() {
        List<DatabaseSnapshot> daily = new ArrayList<>();
        for (int day = 0; day < 40; day++) {
            Instant at = FIRST.plus(Duration.ofDays(day));
            daily.add(snapshot("nightly-" + day, at, at.plusSeconds(1)));
        }
        // the operator's clock is 40 days ahead from here: its slot says so, the API server does not
        Instant truly = FIRST.plus(Duration.ofDays(40));
        Instant skewed = truly.plus(Duration.ofDays(40));
        daily.add(snapshot("nightly-40", skewed, truly.plusSeconds(1)));
        RetentionPolicy policy = new RetentionPolicy();
        policy.setKeepLast(100);
        policy.setMaxAge("30d");

        Retention.Plan plan = ScheduleRetention.plan(daily, policy, ZoneOffset.UTC, Set.of(), Optional.empty(), null,
                skewed);

        // the 30 days before the newest's true time (made a second after day 40's slot) stay, as with a right clock
        assertThat(plan.kept()).hasSize(30).contains("nightly-40", "nightly-11").doesNotContain("nightly-10");
        assertThat(ScheduledSnapshots.takenAt(daily.get(3))).as("a right clock: the slot")
                .isEqualTo(FIRST.plus(Duration.ofDays(3)));
    }
}
