package io.dbsnap.operator.restore;

import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ScheduleSnapshotsTest {

    private static final Instant NINE = Instant.parse("2026-12-01T09:00:00Z");

    private static DatabaseSnapshot snapshot(String name, String schedule, String phase, String completed) {
        DatabaseSnapshot s = new DatabaseSnapshot();
        s.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("prod")
                .withLabels(schedule == null ? Map.of() : Map.of(DatabaseSnapshot.LABEL_SCHEDULE, schedule)).build());
        DatabaseSnapshotStatus status = new DatabaseSnapshotStatus();
        status.setPhase(phase);
        status.setCompletionTime(completed);
        s.setStatus(status);
        return s;
    }

    private static String newest(List<DatabaseSnapshot> all, Instant before) {
        return ScheduleSnapshots.newest(all, "orders", before).map(s -> s.getMetadata().getName()).orElse(null);
    }

    @Test
    void theNewestSucceededOfTheScheduleAtOrBeforeTheTime() {
        List<DatabaseSnapshot> all = List.of(
                snapshot("orders-202611300200", "orders", "Succeeded", "2026-11-30T02:05:00Z"),
                snapshot("orders-202612010200", "orders", "Succeeded", "2026-12-01T02:05:00Z"),
                snapshot("orders-202612010800", "orders", "Failed", "2026-12-01T08:01:00Z"),
                snapshot("orders-202612010830", "orders", "Running", null),
                snapshot("orders-202612010900", "orders", "Succeeded", "2026-12-01T09:00:00Z"),
                snapshot("orders-202612011000", "orders", "Succeeded", "2026-12-01T10:05:00Z"),
                snapshot("other-202612010859", "other", "Succeeded", "2026-12-01T08:59:00Z"),
                snapshot("manual", null, "Succeeded", "2026-12-01T08:58:00Z"));

        assertThat(newest(all, NINE)).as("at the time counts").isEqualTo("orders-202612010900");
        assertThat(newest(all, NINE.minusSeconds(1))).isEqualTo("orders-202612010200");
        assertThat(newest(all, Instant.parse("2026-11-30T02:04:59Z"))).isNull();
        assertThat(newest(all, Instant.parse("2027-01-01T00:00:00Z"))).isEqualTo("orders-202612011000");
    }

    @Test
    void aSnapshotBeingDeletedIsNeverChosen() {
        DatabaseSnapshot going = snapshot("orders-202612010800", "orders", "Succeeded", "2026-12-01T08:05:00Z");
        going.getMetadata().setDeletionTimestamp("2026-12-01T08:30:00Z");
        List<DatabaseSnapshot> all = List.of(
                snapshot("orders-202612010200", "orders", "Succeeded", "2026-12-01T02:05:00Z"), going);
        assertThat(newest(all, NINE)).isEqualTo("orders-202612010200");
    }

    @Test
    void whatCannotBeReadIsSkippedNeverGuessed() {
        List<DatabaseSnapshot> all = List.of(
                snapshot("orders-a", "orders", "Succeeded", "yesterday"),
                snapshot("orders-b", "orders", "Succeeded", null),
                snapshot("orders-c", "orders", "SucceededMaybe", "2026-12-01T01:00:00Z"),
                snapshot("orders-d", "orders", null, "2026-12-01T01:00:00Z"));
        assertThat(newest(all, NINE)).isNull();
    }

    @Test
    void twoCompletedInTheSameSecondAreOrderedByName() {
        List<DatabaseSnapshot> all = List.of(
                snapshot("orders-202612010200", "orders", "Succeeded", "2026-12-01T03:00:00Z"),
                snapshot("orders-202612010300", "orders", "Succeeded", "2026-12-01T03:00:00Z"));
        assertThat(newest(all, NINE)).isEqualTo("orders-202612010300");
        assertThat(newest(List.of(all.get(1), all.get(0)), NINE)).isEqualTo("orders-202612010300");
    }

    @Test
    void beforeIsRfc3339OrNow() {
        assertThat(ScheduleSnapshots.before(null, NINE)).hasValue(NINE);
        assertThat(ScheduleSnapshots.before(" ", NINE)).hasValue(NINE);
        assertThat(ScheduleSnapshots.before("2026-12-01T08:00:00Z", NINE)).hasValue(Instant.parse("2026-12-01T08:00:00Z"));
        assertThat(ScheduleSnapshots.before("last night", NINE)).isEmpty();
        assertThat(ScheduleSnapshots.before("2026-12-01", NINE)).isEmpty();
    }
}
