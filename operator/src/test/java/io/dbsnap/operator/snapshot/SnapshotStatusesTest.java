package io.dbsnap.operator.snapshot;

import io.dbsnap.api.job.FailureReason;
import io.dbsnap.api.job.SnapshotJobResult;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotStatus;
import io.dbsnap.api.v1alpha1.common.JobPhase;
import io.fabric8.kubernetes.api.model.Condition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotStatusesTest {

    private static final Instant T0 = Instant.parse("2026-11-21T02:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-21T02:00:05Z");
    private static final Instant T2 = Instant.parse("2026-11-21T02:03:00Z");
    private static final SnapshotJobResult RESULT = SnapshotJobResult.success("20261121-020001-orders-nightly",
            "s3://snaps/prod/prod/orders-db-0/20261121-020001-orders-nightly/", 3_500_000L, 9_100_000L,
            "sha256:ab12", "postgresql", "15.18", "prod/orders-db-0");

    private static Condition condition(DatabaseSnapshotStatus status, String type) {
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }

    @Test
    void noStatusIsPending() {
        assertThat(SnapshotStatuses.phaseOf(null)).isEqualTo(JobPhase.Pending);
        assertThat(SnapshotStatuses.phaseOf(new DatabaseSnapshotStatus())).isEqualTo(JobPhase.Pending);
        // a phase no operator wrote (edited by hand): final, so no Job is ever started for it, and never a success
        for (String phase : new String[]{"Bogus", "succeeded", "", "Complete"}) {
            DatabaseSnapshotStatus odd = new DatabaseSnapshotStatus();
            odd.setPhase(phase);
            assertThat(SnapshotStatuses.phaseOf(odd)).as(phase).isEqualTo(JobPhase.Failed);
        }
    }

    @Test
    void pendingThenRunningThenSucceeded() {
        DatabaseSnapshotStatus pending = SnapshotStatuses.inProgress(null, 1, "snapshot-orders-abc123", null, false, T0);
        DatabaseSnapshotStatus running = SnapshotStatuses.inProgress(pending, 1, "snapshot-orders-abc123",
                "2026-11-21T02:00:01Z", true, T1);
        DatabaseSnapshotStatus done = SnapshotStatuses.succeeded(running, 1, RESULT, T2);

        assertThat(pending.getPhase()).isEqualTo("Pending");
        assertThat(running.getPhase()).isEqualTo("Running");
        assertThat(running.getStartTime()).isEqualTo("2026-11-21T02:00:01Z");
        assertThat(done.getPhase()).isEqualTo("Succeeded");
        assertThat(done.getStartTime()).isEqualTo("2026-11-21T02:00:01Z");
        assertThat(done.getCompletionTime()).isEqualTo("2026-11-21T02:03:00Z");
        assertThat(done.getLocation()).isEqualTo(RESULT.location());
        assertThat(done.getChecksum()).isEqualTo("sha256:ab12");
        assertThat(done.getSize()).isEqualTo(3_500_000L);
        assertThat(done.getRawSize()).isEqualTo(9_100_000L);
        assertThat(done.getDisplaySize()).isEqualTo("3.3 MiB");
        assertThat(done.getEngineVersion()).isEqualTo("15.18");
        assertThat(done.getSource()).isEqualTo("prod/orders-db-0");
        assertThat(done.getJobName()).isEqualTo("snapshot-orders-abc123");

        Condition complete = condition(done, "Complete");
        assertThat(complete.getStatus()).isEqualTo("True");
        assertThat(complete.getReason()).isEqualTo("SnapshotStored");
        assertThat(complete.getLastTransitionTime()).isEqualTo("2026-11-21T02:03:00Z");
        // Failed never flipped: its transition time is still the first one
        assertThat(condition(done, "Failed").getStatus()).isEqualTo("False");
        assertThat(condition(done, "Failed").getLastTransitionTime()).isEqualTo("2026-11-21T02:00:00Z");
        assertThat(done.getConditions()).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(1L));
    }

    @Test
    void theSameObservationTwiceIsAnEqualStatusSoNothingIsWritten() {
        DatabaseSnapshotStatus running = SnapshotStatuses.inProgress(null, 1, "job", "2026-11-21T02:00:01Z", true, T0);
        DatabaseSnapshotStatus again = SnapshotStatuses.inProgress(running, 1, "job", "2026-11-21T02:00:01Z", true, T2);

        assertThat(again).isEqualTo(running);
    }

    @Test
    void aFailureKeepsTheJobAndSaysWhy() {
        DatabaseSnapshotStatus running = SnapshotStatuses.inProgress(null, 1, "job", "2026-11-21T02:00:01Z", true, T0);
        DatabaseSnapshotStatus failed = SnapshotStatuses.failed(running, 1, FailureReason.POD_NOT_FOUND,
                "pod orders-db-0 not found in namespace prod", T1);

        assertThat(failed.getPhase()).isEqualTo("Failed");
        assertThat(failed.getJobName()).isEqualTo("job");
        assertThat(failed.getCompletionTime()).isEqualTo("2026-11-21T02:00:05Z");
        assertThat(failed.getLocation()).isNull();
        assertThat(condition(failed, "Failed")).satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("PodNotFound");
            assertThat(c.getMessage()).isEqualTo("pod orders-db-0 not found in namespace prod");
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-21T02:00:05Z");
        });
        assertThat(condition(failed, "Complete").getStatus()).isEqualTo("False");
        assertThat(SnapshotStatuses.phaseOf(failed).isFinal()).isTrue();
    }

    @Test
    void thePreviousStatusIsNotChanged() {
        DatabaseSnapshotStatus running = SnapshotStatuses.inProgress(null, 1, "job", "2026-11-21T02:00:01Z", true, T0);
        DatabaseSnapshotStatus copy = SnapshotStatuses.inProgress(null, 1, "job", "2026-11-21T02:00:01Z", true, T0);
        SnapshotStatuses.succeeded(running, 1, RESULT, T2);

        assertThat(running).isEqualTo(copy);
    }

    @ParameterizedTest
    @CsvSource({"0, 0 B", "1023, 1023 B", "1024, 1.0 KiB", "1536, 1.5 KiB", "10485760, 10 MiB",
            "3221225472, 3.0 GiB", "1099511627776, 1.0 TiB"})
    void sizesReadLikeKubectlShowsThem(long bytes, String expected) {
        assertThat(SnapshotStatuses.humanSize(bytes)).isEqualTo(expected);
    }

    @Test
    void failureReasonsAreDistinctCamelCaseConstants() throws Exception {
        List<String> reasons = Arrays.stream(FailureReason.class.getFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
                .map(f -> {
                    try {
                        return (String) f.get(null);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();

        assertThat(reasons).hasSizeGreaterThan(10).doesNotHaveDuplicates()
                .allSatisfy(r -> assertThat(r).matches("[A-Z][A-Za-z]+"))
                .doesNotContain(SnapshotStatuses.REASON_PENDING, SnapshotStatuses.REASON_RUNNING,
                        SnapshotStatuses.REASON_SUCCEEDED);
    }
}
