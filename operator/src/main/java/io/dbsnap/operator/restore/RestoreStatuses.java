package io.dbsnap.operator.restore;

import io.dbsnap.api.job.FailureReason;
import io.dbsnap.api.job.JobProgress;
import io.dbsnap.api.job.RestoreJobResult;
import io.dbsnap.api.v1alpha1.common.JobPhase;
import io.dbsnap.api.v1alpha1.restore.SnapshotRestoreStatus;
import io.dbsnap.operator.common.Conditions;
import io.dbsnap.operator.job.JobStatuses;

import java.time.Instant;

/**
 * The next status of a restore, from the previous one and what was observed: the transitions every
 * Job-backed resource shares ({@link JobStatuses}), a {@value #VERIFIED} condition that turns true
 * once every byte matched, the wait for the pre-restore snapshot, and the restore's own result.
 */
public final class RestoreStatuses {

    public static final String VERIFIED = "Verified";
    static final String REASON_VERIFIED = "ChecksumVerified";
    static final String REASON_DRY_RUN = "DryRunComplete";
    static final String REASON_RESTORED = "Restored";
    static final String REASON_SAFETY_SNAPSHOT = "PreRestoreSnapshotRunning";
    static final String REASON_SNAPSHOT_RUNNING = "SnapshotRunning";
    static final String REASON_RESTORE_RUNNING = "RestoreRunning";

    private RestoreStatuses() {
    }

    public static JobPhase phaseOf(SnapshotRestoreStatus status) {
        return JobStatuses.phaseOf(status);
    }

    /** What every status of this restore says from the start: its source and target. */
    public static SnapshotRestoreStatus described(SnapshotRestoreStatus previous, String source, String target,
                                                 String location) {
        SnapshotRestoreStatus next = copy(previous);
        next.setSource(source);
        next.setTarget(target);
        next.setLocation(location);
        return next;
    }

    /** @param work "verifying the snapshot", "restoring into ..." */
    public static SnapshotRestoreStatus inProgress(SnapshotRestoreStatus previous, long generation, String jobName,
                                                   String startTime, boolean running, String work, Instant now) {
        SnapshotRestoreStatus next = JobStatuses.inProgress(copy(previous), generation, jobName,
                previous == null || previous.getStartTime() == null ? startTime : previous.getStartTime(), running, work,
                now);
        return next;
    }

    /** Every byte of the snapshot matched and the target can take it; the verify Job's plan is kept. */
    public static SnapshotRestoreStatus verified(SnapshotRestoreStatus previous, long generation, RestoreJobResult result,
                                                 Instant now) {
        SnapshotRestoreStatus next = withSnapshot(copy(previous), result);
        next.setPlan(result.plan());
        next.setConditions(Conditions.set(next.getConditions(), Conditions.of(VERIFIED, true, REASON_VERIFIED,
                "every byte of " + result.location() + " matched " + result.checksum() + "; the target "
                        + (Boolean.TRUE.equals(result.nothingToKeep()) ? "holds nothing yet" : "can take it"),
                generation), now));
        return next;
    }

    public static SnapshotRestoreStatus dryRunComplete(SnapshotRestoreStatus verified, long generation, Instant now) {
        return JobStatuses.succeeded(copy(verified), generation, REASON_DRY_RUN, "verified " + verified.getVerifiedChecksum()
                + "; status.plan lists what a restore would replace; nothing was changed", now);
    }

    /** Verified, and waiting for the DatabaseSnapshot of the target before anything is changed. */
    public static SnapshotRestoreStatus awaitingSafetySnapshot(SnapshotRestoreStatus previous, long generation,
                                                               String snapshot, Instant now) {
        SnapshotRestoreStatus next = waiting(previous, generation, REASON_SAFETY_SNAPSHOT, "waiting for DatabaseSnapshot "
                + snapshot + " of the target; nothing is changed before it has succeeded", now);
        next.setPreRestoreSnapshot(snapshot);
        return next;
    }

    /** Something else still reads or writes the target pod (a snapshot Job, another restore): the restore waits. */
    public static SnapshotRestoreStatus awaitingPod(SnapshotRestoreStatus previous, long generation, String reason,
                                                    String message, Instant now) {
        return waiting(previous, generation, reason, message, now);
    }

    private static SnapshotRestoreStatus waiting(SnapshotRestoreStatus previous, long generation, String reason,
                                                 String message, Instant now) {
        SnapshotRestoreStatus next = copy(previous);
        next.setPhase(JobPhase.Running.name());
        next.setObservedGeneration(generation);
        next.setConditions(Conditions.set(next.getConditions(), Conditions.of(JobStatuses.COMPLETE, false,
                reason, message, generation), now));
        next.setConditions(Conditions.set(next.getConditions(), Conditions.of(JobStatuses.FAILED, false,
                reason, message, generation), now));
        return next;
    }

    /** How far the restore Job has come, as its agent last reported it on the Job. */
    public static SnapshotRestoreStatus progressed(SnapshotRestoreStatus previous, JobProgress progress, Instant now) {
        SnapshotRestoreStatus next = copy(previous);
        next.setRestoredBytes(progress.bytes());
        next.setTotalBytes(progress.totalBytes());
        next.setProgress(JobStatuses.progress(progress, previous.getStartTime(), now));
        return next;
    }

    /** Its Job's pod cannot start: Pending, saying why ({@link JobStatuses#notStarting}). */
    public static SnapshotRestoreStatus notStarting(SnapshotRestoreStatus previous, long generation, String jobName,
                                                    String trouble, Instant now) {
        return JobStatuses.notStarting(copy(previous), generation, jobName, trouble, now);
    }

    public static SnapshotRestoreStatus succeeded(SnapshotRestoreStatus previous, long generation,
                                                  RestoreJobResult result, Instant now) {
        SnapshotRestoreStatus next = withSnapshot(copy(previous), result);
        next.setRestoredBytes(result.restoredBytes());
        next.setConditions(Conditions.set(next.getConditions(), Conditions.of(VERIFIED, true, REASON_VERIFIED,
                "every byte of " + result.location() + " matched " + result.checksum(), generation), now));
        return JobStatuses.succeeded(next, generation, REASON_RESTORED, "restored " + result.snapshotId() + " ("
                + result.checksum() + ") into " + next.getTarget() + (Boolean.TRUE.equals(result.createdTarget())
                ? ", which was created" : "") + ", and checked it holds what the snapshot holds", now);
    }

    /**
     * @param touched whether the target was being changed when it failed: then the message says what it
     *                may hold and where its previous state is
     */
    public static SnapshotRestoreStatus failed(SnapshotRestoreStatus previous, long generation, String reason,
                                               String message, boolean touched, Instant now) {
        SnapshotRestoreStatus next = copy(previous);
        String state;
        if (!touched) {
            state = " The target was not changed.";
        } else if (next.getPreRestoreSnapshot() != null) {
            state = " The target may be partly restored (a PostgreSQL pg_restore that fails rolls back its one "
                    + "transaction); DatabaseSnapshot " + next.getPreRestoreSnapshot() + " holds it as it was: restore "
                    + "that to go back.";
        } else {
            state = " The target may be partly restored (a PostgreSQL pg_restore that fails rolls back its one "
                    + "transaction), and no pre-restore snapshot was taken.";
        }
        String said = message == null ? "" : message.strip();
        return JobStatuses.failed(next, generation, reason, said + (said.isEmpty() || said.endsWith(".") ? "" : ".")
                + state, now);
    }

    /** Whether a failure reason means the target was changed before it. */
    public static boolean touches(String reason) {
        return FailureReason.RESTORE_FAILED.equals(reason) || FailureReason.JOB_FAILED.equals(reason)
                || FailureReason.DEADLINE_EXCEEDED.equals(reason) || FailureReason.JOB_LOST.equals(reason)
                || FailureReason.RESULT_MISSING.equals(reason);
    }

    private static SnapshotRestoreStatus withSnapshot(SnapshotRestoreStatus next, RestoreJobResult result) {
        next.setLocation(result.location());
        next.setVerifiedChecksum(result.checksum());
        next.setEngine(result.engine());
        next.setEngineVersion(result.engineVersion());
        next.setTakenAt(result.takenAt());
        next.setRecipients(result.recipients());
        next.setTotalBytes(result.totalBytes());
        return next;
    }

    private static SnapshotRestoreStatus copy(SnapshotRestoreStatus status) {
        return JobStatuses.copy(status, SnapshotRestoreStatus::new);
    }
}
