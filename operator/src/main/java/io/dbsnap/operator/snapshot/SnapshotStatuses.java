package io.dbsnap.operator.snapshot;

import io.dbsnap.api.job.SnapshotJobResult;
import io.dbsnap.api.storage.Sizes;
import io.dbsnap.api.v1alpha1.common.JobPhase;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotStatus;
import io.dbsnap.operator.job.JobStatuses;

import java.time.Instant;

/**
 * The next status of a snapshot, from the previous one and what was observed: the transitions every
 * Job-backed resource shares ({@link JobStatuses}) plus a snapshot's own result.
 */
public final class SnapshotStatuses {

    public static final String COMPLETE = JobStatuses.COMPLETE;
    public static final String FAILED = JobStatuses.FAILED;
    static final String REASON_PENDING = JobStatuses.REASON_PENDING;
    static final String REASON_RUNNING = JobStatuses.REASON_RUNNING;
    static final String REASON_SUCCEEDED = "SnapshotStored";

    private SnapshotStatuses() {
    }

    public static JobPhase phaseOf(DatabaseSnapshotStatus status) {
        return JobStatuses.phaseOf(status);
    }

    public static DatabaseSnapshotStatus inProgress(DatabaseSnapshotStatus previous, long generation, String jobName,
                                                    String startTime, boolean running, Instant now) {
        return JobStatuses.inProgress(copy(previous), generation, jobName, startTime, running, "taking the snapshot",
                now);
    }

    /** No Job yet: it waits for a place ({@link SnapshotQueue}); {@code message} says behind what. */
    public static DatabaseSnapshotStatus queued(DatabaseSnapshotStatus previous, long generation, String message,
                                                Instant now) {
        return JobStatuses.queued(copy(previous), generation, message, now);
    }

    /** Its Job's pod cannot start: Pending, saying why ({@link JobStatuses#notStarting}). */
    public static DatabaseSnapshotStatus notStarting(DatabaseSnapshotStatus previous, long generation, String jobName,
                                                     String trouble, Instant now) {
        return JobStatuses.notStarting(copy(previous), generation, jobName, trouble, now);
    }

    public static DatabaseSnapshotStatus succeeded(DatabaseSnapshotStatus previous, long generation,
                                                   SnapshotJobResult result, Instant now) {
        DatabaseSnapshotStatus next = copy(previous);
        next.setSnapshotId(result.snapshotId());
        next.setLocation(result.location());
        next.setSize(result.size());
        next.setRawSize(result.rawSize());
        next.setDisplaySize(humanSize(result.size()));
        next.setChecksum(result.checksum());
        next.setEngine(result.engine());
        next.setEngineVersion(result.engineVersion());
        next.setSource(result.source());
        next.setProgress(null); // done: the size says the rest
        return JobStatuses.succeeded(next, generation, REASON_SUCCEEDED, "stored " + humanSize(result.size()) + " ("
                + humanSize(result.rawSize()) + " before compression) at " + result.location()
                + (result.message() == null ? "" : "; warning: " + result.message()), now);
    }

    /** How far the snapshot Job has come, as its agent last reported it on the Job (kept after a failure). */
    public static DatabaseSnapshotStatus progressed(DatabaseSnapshotStatus previous, io.dbsnap.api.job.JobProgress progress,
                                                    Instant now) {
        DatabaseSnapshotStatus next = copy(previous);
        next.setProgress(JobStatuses.progress(progress, previous.getStartTime(), now));
        return next;
    }

    public static DatabaseSnapshotStatus failed(DatabaseSnapshotStatus previous, long generation, String reason,
                                                String message, Instant now) {
        return JobStatuses.failed(copy(previous), generation, reason, message, now);
    }

    private static DatabaseSnapshotStatus copy(DatabaseSnapshotStatus status) {
        return JobStatuses.copy(status, DatabaseSnapshotStatus::new);
    }

    /** 1024-based, one decimal below 10: 512 B, 3.4 MiB, 314 MiB. */
    static String humanSize(Long bytes) {
        return bytes == null ? null : Sizes.human(bytes);
    }
}
