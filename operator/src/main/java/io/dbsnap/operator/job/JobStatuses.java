package io.dbsnap.operator.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbsnap.api.v1alpha1.common.JobPhase;
import io.dbsnap.api.v1alpha1.common.JobStatus;
import io.dbsnap.operator.common.Conditions;

import java.time.Instant;
import java.util.function.Supplier;

/**
 * The transitions every Job-backed resource shares (Pending, Running, Failed), as plain functions of
 * the previous status: "changed or not" is an equals, and transition times move only when a
 * condition flips. Each resource adds its own Succeeded.
 */
public final class JobStatuses {

    public static final String COMPLETE = "Complete";
    public static final String FAILED = "Failed";
    public static final String REASON_PENDING = "JobPending";
    public static final String REASON_RUNNING = "JobRunning";
    public static final String REASON_NOT_STARTING = "JobNotStarting";
    /** Waiting for a place: the operator limits the Jobs that run at once. */
    public static final String REASON_QUEUED = "Queued";
    private static final ObjectMapper COPIER = new ObjectMapper();

    private JobStatuses() {
    }

    public static JobPhase phaseOf(JobStatus status) {
        if (status == null || status.getPhase() == null) {
            return JobPhase.Pending;
        }
        try {
            return JobPhase.valueOf(status.getPhase());
        } catch (IllegalArgumentException e) {
            // a phase no operator wrote: never start a Job for it, and never call it a success
            return JobPhase.Failed;
        }
    }

    /** A copy to change, so the status the resource was read with stays what it was. */
    @SuppressWarnings("unchecked")
    public static <S extends JobStatus> S copy(S status, Supplier<S> fresh) {
        return status == null ? fresh.get() : (S) COPIER.convertValue(status, status.getClass());
    }

    /**
     * @param work what the Job does, for the message: "taking the snapshot"
     */
    public static <S extends JobStatus> S inProgress(S next, long generation, String jobName, String startTime,
                                                     boolean running, String work, Instant now) {
        next.setPhase((running ? JobPhase.Running : JobPhase.Pending).name());
        next.setObservedGeneration(generation);
        next.setJobName(jobName);
        next.setStartTime(startTime);
        String reason = running ? REASON_RUNNING : REASON_PENDING;
        String message = running ? "Job " + jobName + " is " + work : "Job " + jobName + " is created and waiting to start";
        conditions(next, false, false, reason, message, generation, now);
        return next;
    }

    /** No Job yet: it waits for a place, {@code message} says behind what. */
    public static <S extends JobStatus> S queued(S next, long generation, String message, Instant now) {
        next.setPhase(JobPhase.Pending.name());
        next.setObservedGeneration(generation);
        next.setJobName(null);
        conditions(next, false, false, REASON_QUEUED, message, generation, now);
        return next;
    }

    /**
     * A Job whose pod cannot start: Pending, saying why in the pod's words; the Job keeps trying (an image
     * pushed late, a quota freed) until its deadline.
     */
    public static <S extends JobStatus> S notStarting(S next, long generation, String jobName, String trouble,
                                                      Instant now) {
        next.setPhase(JobPhase.Pending.name());
        next.setObservedGeneration(generation);
        next.setJobName(jobName);
        conditions(next, false, false, REASON_NOT_STARTING, "Job " + jobName + " cannot start: " + trouble
                + "; it keeps trying until its activeDeadlineSeconds", generation, now);
        return next;
    }

    public static <S extends JobStatus> S succeeded(S next, long generation, String reason, String message, Instant now) {
        return finished(next, JobPhase.Succeeded, generation, reason, message, now);
    }

    public static <S extends JobStatus> S failed(S next, long generation, String reason, String message, Instant now) {
        return finished(next, JobPhase.Failed, generation, reason, message, now);
    }

    private static <S extends JobStatus> S finished(S next, JobPhase phase, long generation, String reason,
                                                    String message, Instant now) {
        next.setPhase(phase.name());
        next.setObservedGeneration(generation);
        next.setCompletionTime(Conditions.timestamp(now));
        conditions(next, phase == JobPhase.Succeeded, phase == JobPhase.Failed, reason, message, generation, now);
        return next;
    }

    private static void conditions(JobStatus status, boolean complete, boolean failed, String reason, String message,
                                   long generation, Instant now) {
        status.setConditions(Conditions.set(status.getConditions(),
                Conditions.of(COMPLETE, complete, reason, message, generation), now));
        status.setConditions(Conditions.set(status.getConditions(),
                Conditions.of(FAILED, failed, reason, message, generation), now));
    }

    /** {@code status.progress}: what the Job's agent last reported, with its rate since the Job started. */
    public static String progress(io.dbsnap.api.job.JobProgress progress, String startTime, Instant now) {
        java.time.Duration elapsed = null;
        if (startTime != null) {
            try {
                elapsed = java.time.Duration.between(Instant.parse(startTime), now);
            } catch (java.time.format.DateTimeParseException e) {
                // a hand-edited start time: the bytes alone then
            }
        }
        return progress.describe(elapsed);
    }
}
