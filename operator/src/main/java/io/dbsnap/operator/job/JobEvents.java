package io.dbsnap.operator.job;

import io.dbsnap.api.v1alpha1.common.JobPhase;
import io.dbsnap.api.v1alpha1.common.JobStatus;
import io.dbsnap.operator.common.Conditions;
import io.dbsnap.operator.common.EventRecorder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

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
        Optional<Condition> cannotStart = notStarting(after);
        if (cannotStart.isPresent() && !cannotStart.map(Condition::getMessage)
                .equals(notStarting(before).map(Condition::getMessage))) {
            EventRecorder.warning(client, resource, JobStatuses.REASON_NOT_STARTING, cannotStart.get().getMessage());
        }
        if (from == to) {
            return;
        }
        if (to == JobPhase.Succeeded) {
            EventRecorder.normal(client, resource, prefix + "Succeeded", success.get());
        } else if (to == JobPhase.Failed) {
            var failed = Conditions.find(after.getConditions(), JobStatuses.FAILED).orElseThrow();
            EventRecorder.warning(client, resource, failed.getReason(), failed.getMessage());
        }
    }

    /**
     * The status's word that its Job cannot start; announced once per cause (a new message), not per reconcile.
     */
    private static Optional<Condition> notStarting(JobStatus status) {
        return Optional.ofNullable(status).flatMap(s -> Conditions.find(s.getConditions(), JobStatuses.COMPLETE))
                .filter(c -> JobStatuses.REASON_NOT_STARTING.equals(c.getReason()));
    }
}
