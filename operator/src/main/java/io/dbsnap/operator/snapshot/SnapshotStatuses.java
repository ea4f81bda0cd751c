package io.dbsnap.operator.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbsnap.api.job.SnapshotJobResult;
import io.dbsnap.api.storage.Sizes;
import io.dbsnap.api.v1alpha1.DatabaseSnapshotStatus;
import io.dbsnap.api.v1alpha1.SnapshotPhase;
import io.dbsnap.operator.common.Conditions;

import java.time.Instant;

/**
 * The next status of a snapshot, from the previous one and what was observed: plain functions, so
 * "changed or not" is an equals and transition times move only when a condition flips.
 */
public final class SnapshotStatuses {

    public static final String COMPLETE = "Complete";
    public static final String FAILED = "Failed";
    static final String REASON_PENDING = "JobPending";
    static final String REASON_RUNNING = "JobRunning";
    static final String REASON_SUCCEEDED = "SnapshotStored";
    private static final ObjectMapper COPIER = new ObjectMapper();

    private SnapshotStatuses() {
    }

    public static SnapshotPhase phaseOf(DatabaseSnapshotStatus status) {
        if (status == null || status.getPhase() == null) {
            return SnapshotPhase.Pending;
        }
        try {
            return SnapshotPhase.valueOf(status.getPhase());
        } catch (IllegalArgumentException e) {
            // a phase no operator wrote: never start a Job for it, and never call it a success
            return SnapshotPhase.Failed;
        }
    }

    public static DatabaseSnapshotStatus inProgress(DatabaseSnapshotStatus previous, long generation, String jobName,
                                                    String startTime, boolean running, Instant now) {
        DatabaseSnapshotStatus next = copy(previous);
        next.setPhase((running ? SnapshotPhase.Running : SnapshotPhase.Pending).name());
        next.setObservedGeneration(generation);
        next.setJobName(jobName);
        next.setStartTime(startTime);
        String reason = running ? REASON_RUNNING : REASON_PENDING;
        String message = running ? "Job " + jobName + " is taking the snapshot"
                : "Job " + jobName + " is created and waiting to start";
        setBoth(next, false, false, reason, message, generation, now);
        return next;
    }

    public static DatabaseSnapshotStatus succeeded(DatabaseSnapshotStatus previous, long generation,
                                                   SnapshotJobResult result, Instant now) {
        DatabaseSnapshotStatus next = copy(previous);
        next.setPhase(SnapshotPhase.Succeeded.name());
        next.setObservedGeneration(generation);
        next.setCompletionTime(Conditions.timestamp(now));
        next.setSnapshotId(result.snapshotId());
        next.setLocation(result.location());
        next.setSize(result.size());
        next.setRawSize(result.rawSize());
        next.setDisplaySize(humanSize(result.size()));
        next.setChecksum(result.checksum());
        next.setEngine(result.engine());
        next.setEngineVersion(result.engineVersion());
        next.setSource(result.source());
        setBoth(next, true, false, REASON_SUCCEEDED, "stored " + humanSize(result.size()) + " (" + humanSize(result.rawSize())
                + " before compression) at " + result.location()
                + (result.message() == null ? "" : "; warning: " + result.message()), generation, now);
        return next;
    }

    public static DatabaseSnapshotStatus failed(DatabaseSnapshotStatus previous, long generation, String reason,
                                                String message, Instant now) {
        DatabaseSnapshotStatus next = copy(previous);
        next.setPhase(SnapshotPhase.Failed.name());
        next.setObservedGeneration(generation);
        next.setCompletionTime(Conditions.timestamp(now));
        setBoth(next, false, true, reason, message, generation, now);
        return next;
    }

    private static void setBoth(DatabaseSnapshotStatus status, boolean complete, boolean failed, String reason,
                                String message, long generation, Instant now) {
        status.setConditions(Conditions.set(status.getConditions(),
                Conditions.of(COMPLETE, complete, reason, message, generation), now));
        status.setConditions(Conditions.set(status.getConditions(),
                Conditions.of(FAILED, failed, reason, message, generation), now));
    }

    private static DatabaseSnapshotStatus copy(DatabaseSnapshotStatus status) {
        return status == null ? new DatabaseSnapshotStatus() : COPIER.convertValue(status, DatabaseSnapshotStatus.class);
    }

    /** 1024-based, one decimal below 10: 512 B, 3.4 MiB, 314 MiB. */
    static String humanSize(Long bytes) {
        return bytes == null ? null : Sizes.human(bytes);
    }
}
