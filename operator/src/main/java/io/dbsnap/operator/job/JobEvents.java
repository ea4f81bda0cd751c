package io.dbsnap.operator.job;

import io.dbsnap.api.v1alpha1.common.JobPhase;
import io.dbsnap.api.v1alpha1.common.JobStatus;
import io.dbsnap.operator.common.EventRecorder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Events of a status change, the same for every Job-backed resource: {@code <Kind>Started} when
 * its Job is made, {@code <Kind>Succeeded} with what it achieved, a Warning with the failure's reason
 * and message. Nothing when the phase stays.
 */
public final class JobEvents {

    private JobEvents() {
    }

    /**
     * @param prefix  the first word of the reasons: "Snapshot" makes SnapshotStarted, SnapshotSucceeded
     * @param success the Succeeded Event's message, asked for only when there is one
     */
    public static void announce(KubernetesClient client, HasMetadata resource, String prefix, JobStatus before,
                                JobStatus after, Supplier<String> success) {
        JobPhase from = JobStatuses.phaseOf(before);
        JobPhase to = JobStatuses.phaseOf(after);
        // a resource may run more than one Job in turn (a restore verifies, then restores)
        boolean jobIsNew = after.getJobName() != null && (before == null || !after.getJobName().equals(before.getJobName()));
        if (jobIsNew && !to.isFinal()) {
            EventRecorder.normal(client, resource, prefix + "Started", "created Job " + after.getJobName());
        }
        if (startsNotStarting(before, after)) {
            var pending = after.getConditions().stream().filter(c -> JobStatuses.COMPLETE.equals(c.getType()))
                    .findFirst().orElseThrow();
            EventRecorder.warning(client, resource, JobStatuses.REASON_NOT_STARTING, pending.getMessage());
        }
        if (from == to) {
            return;
        }
        if (to == JobPhase.Succeeded) {
            EventRecorder.normal(client, resource, prefix + "Succeeded", success.get());
        } else if (to == JobPhase.Failed) {
            var failed = after.getConditions().stream().filter(c -> JobStatuses.FAILED.equals(c.getType()))
                    .findFirst().orElseThrow();
            EventRecorder.warning(client, resource, failed.getReason(), failed.getMessage());
        }
    }

    /** Whether the status has just come to say its Job cannot start (once per trouble, not per reconcile). */
    private static boolean startsNotStarting(JobStatus before, JobStatus after) {
        return JobStatuses.REASON_NOT_STARTING.equals(completeReason(after)) && !(JobStatuses.REASON_NOT_STARTING.equals(
                completeReason(before)) && Objects.equals(completeMessage(before), completeMessage(after)));
    }

    private static String completeReason(JobStatus status) {
        return complete(status).map(Condition::getReason).orElse(null);
    }

    private static String completeMessage(JobStatus status) {
        return complete(status).map(Condition::getMessage).orElse(null);
    }

    private static Optional<Condition> complete(JobStatus status) {
        return status == null || status.getConditions() == null ? Optional.empty()
                : status.getConditions().stream().filter(c -> JobStatuses.COMPLETE.equals(c.getType())).findFirst();
    }
}
