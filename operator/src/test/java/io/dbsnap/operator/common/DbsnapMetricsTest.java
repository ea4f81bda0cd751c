package io.dbsnap.operator.common;

import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The names and labels an alert is written against, as Prometheus scrapes them (this exposition ends labels with a comma). */
class DbsnapMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DbsnapMetrics metrics = new DbsnapMetrics(registry);

    private static DatabaseSnapshot snapshot(String name) {
        DatabaseSnapshot snapshot = new DatabaseSnapshot();
        snapshot.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("prod").build());
        return snapshot;
    }

    private static DatabaseSnapshotStatus finished(String phase, String reason, String start, String end) {
        DatabaseSnapshotStatus status = new DatabaseSnapshotStatus();
        status.setPhase(phase);
        status.setStartTime(start);
        status.setCompletionTime(end);
        boolean ok = phase.equals("Succeeded");
        status.setConditions(List.of(Conditions.of("Complete", ok, reason, "m", 1L),
                Conditions.of("Failed", !ok, reason, "m", 1L)));
        return status;
    }

    @Test
    void finishedSnapshotsAreCountedByNamespacePhaseAndReasonNeverByName() {
        metrics.finished("snapshot", snapshot("orders-a"), finished("Succeeded", "SnapshotStored",
                "2026-12-06T02:00:00Z", "2026-12-06T02:00:30Z"), 1_000_000L);
        metrics.finished("snapshot", snapshot("orders-b"), finished("Succeeded", "SnapshotStored",
                "2026-12-06T03:00:00Z", "2026-12-06T03:01:30Z"), 3_000_000L);
        metrics.finished("snapshot", snapshot("orders-c"), finished("Failed", "SecretNotFound", null, null), null);

        String scrape = registry.scrape();
        assertThat(scrape).contains(
                "dbsnap_snapshots_finished_total{namespace=\"prod\",phase=\"Succeeded\",reason=\"SnapshotStored\",} 2.0",
                "dbsnap_snapshots_finished_total{namespace=\"prod\",phase=\"Failed\",reason=\"SecretNotFound\",} 1.0",
                "dbsnap_snapshot_duration_seconds_sum{namespace=\"prod\",phase=\"Succeeded\",} 120.0",
                "dbsnap_snapshot_stored_bytes_sum{namespace=\"prod\",} 4000000.0");
        assertThat(scrape).doesNotContain("orders-a", "orders-b", "orders-c");
    }

    @Test
    void aScheduleHasItsLastSuccessAndItsIntervalUntilItIsGone() {
        metrics.schedule("prod", "nightly", Instant.parse("2026-12-06T02:00:30Z"), Duration.ofDays(1));
        metrics.schedule("prod", "hourly", null, Duration.ofHours(1));
        String scrape = registry.scrape();
        assertThat(scrape).contains(
                "dbsnap_schedule_last_success_timestamp_seconds{namespace=\"prod\",schedule=\"nightly\",} 1.79652243E9",
                "dbsnap_schedule_expected_interval_seconds{namespace=\"prod\",schedule=\"nightly\",} 86400.0",
                "dbsnap_schedule_last_success_timestamp_seconds{namespace=\"prod\",schedule=\"hourly\",} NaN");

        metrics.schedule("prod", "nightly", Instant.parse("2026-12-07T02:00:30Z"), Duration.ofDays(1));
        assertThat(registry.scrape()).contains(
                "dbsnap_schedule_last_success_timestamp_seconds{namespace=\"prod\",schedule=\"nightly\",} 1.79660883E9");

        metrics.scheduleGone("prod", "nightly");
        assertThat(registry.scrape()).doesNotContain("schedule=\"nightly\"").contains("schedule=\"hourly\"");
    }
}
