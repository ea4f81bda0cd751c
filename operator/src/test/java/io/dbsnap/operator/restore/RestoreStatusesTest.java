package io.dbsnap.operator.restore;

import io.dbsnap.api.job.FailureReason;
import io.dbsnap.api.job.RestoreJobResult;
import io.dbsnap.api.v1alpha1.restore.SnapshotRestoreStatus;
import io.fabric8.kubernetes.api.model.Condition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RestoreStatusesTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final RestoreJobResult VERIFIED = new RestoreJobResult(true, null, null, "20261201-000000-base",
            "s3://b/p/ns/db-0/20261201-000000-base/", "sha256:" + "a".repeat(64), "postgresql", "15.8",
            "2026-12-01T00:00:00Z", "15.8", 0L, 1000L, false, false, false, "orders", List.of("replace table public.t"), null);

    private static SnapshotRestoreStatus started() {
        return RestoreStatuses.described(null, "ns/base", "ns/db-0/orders", "s3://b/p/ns/db-0/20261201-000000-base/");
    }

    @Test
    void aFailureSaysWhetherTheTargetWasTouchedAndWhereItsPreviousStateIs() {
        SnapshotRestoreStatus untouched = RestoreStatuses.failed(started(), 1, FailureReason.CHECKSUM_MISMATCH, "bad",
                false, NOW);
        assertThat(failed(untouched).getMessage()).isEqualTo("bad. The target was not changed.");
        assertThat(untouched.getPhase()).isEqualTo("Failed");

        SnapshotRestoreStatus withSafety = started();
        withSafety.setPreRestoreSnapshot("pre-restore-back-1a2b3c");
        assertThat(failed(RestoreStatuses.failed(withSafety, 1, FailureReason.RESTORE_FAILED, "cut", true, NOW))
                .getMessage()).contains("may be partly restored").contains("DatabaseSnapshot pre-restore-back-1a2b3c");
        assertThat(failed(RestoreStatuses.failed(started(), 1, FailureReason.RESTORE_FAILED, "cut", true, NOW))
                .getMessage()).contains("no pre-restore snapshot was taken");
    }

    @Test
    void onlyFailuresAfterTheRestoreBeganCountAsTouching() {
        assertThat(RestoreStatuses.touches(FailureReason.RESTORE_FAILED)).isTrue();
        assertThat(RestoreStatuses.touches(FailureReason.JOB_FAILED)).isTrue();
        assertThat(RestoreStatuses.touches(FailureReason.DEADLINE_EXCEEDED)).isTrue();
        for (String before : List.of(FailureReason.CHECKSUM_MISMATCH, FailureReason.TARGET_INCOMPATIBLE,
                FailureReason.TARGET_UNREACHABLE, FailureReason.ENGINE_MISMATCH, FailureReason.SNAPSHOT_NOT_FOUND,
                FailureReason.MANIFEST_UNREADABLE, FailureReason.VERIFY_FAILED, FailureReason.TARGET_PROTECTED)) {
            assertThat(RestoreStatuses.touches(before)).as(before).isFalse();
        }
    }

    @Test
    void verifiedKeepsThePlanAndTheChecksumAndADryRunEndsThere() {
        SnapshotRestoreStatus verified = RestoreStatuses.verified(started(), 1, VERIFIED, NOW);
        assertThat(verified.getVerifiedChecksum()).isEqualTo(VERIFIED.checksum());
        assertThat(verified.getPlan()).containsExactly("replace table public.t");
        assertThat(verified.getPhase()).as("verifying is not finishing").isNull();
        assertThat(condition(verified, RestoreStatuses.VERIFIED).getStatus()).isEqualTo("True");

        SnapshotRestoreStatus done = RestoreStatuses.dryRunComplete(verified, 1, NOW);
        assertThat(done.getPhase()).isEqualTo("Succeeded");
        assertThat(condition(done, "Complete").getReason()).isEqualTo("DryRunComplete");
        assertThat(condition(done, "Complete").getMessage()).contains("nothing was changed");
        assertThat(started().getVerifiedChecksum()).as("the input is not changed").isNull();
    }

    @Test
    void waitingForTheSafetySnapshotIsRunningAndNamesIt() {
        SnapshotRestoreStatus waiting = RestoreStatuses.awaitingSafetySnapshot(RestoreStatuses.verified(started(), 1,
                VERIFIED, NOW), 1, "pre-restore-x", NOW);
        assertThat(waiting.getPhase()).isEqualTo("Running");
        assertThat(waiting.getPreRestoreSnapshot()).isEqualTo("pre-restore-x");
        assertThat(condition(waiting, "Complete").getReason()).isEqualTo("PreRestoreSnapshotRunning");
        assertThat(RestoreStatuses.awaitingSafetySnapshot(waiting, 1, "pre-restore-x", NOW.plusSeconds(5)))
                .as("nothing changed: no status write").isEqualTo(waiting);
    }

    private static Condition failed(SnapshotRestoreStatus status) {
        return condition(status, "Failed");
    }

    private static Condition condition(SnapshotRestoreStatus status, String type) {
        return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }
}
