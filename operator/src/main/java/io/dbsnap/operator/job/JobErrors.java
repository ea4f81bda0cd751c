package io.dbsnap.operator.job;

import io.dbsnap.api.job.FailureReason;
import io.dbsnap.api.v1alpha1.common.JobStatus;
import io.dbsnap.operator.common.EventRecorder;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;

import java.time.Instant;
import java.util.function.Supplier;

/**
 * {@code updateErrorStatus} for every Job-backed resource. An API error (a 403 from RBAC or a quota,
 * a webhook's denial, an API server away) is a Warning Event at each attempt, counted on one Event;
 * when JOSDK gives up retrying, the resource ends Failed with what went wrong, instead of waiting
 * silently for the next resync.
 */
public final class JobErrors {

    private JobErrors() {
    }

    public static <P extends CustomResource<?, S>, S extends JobStatus> ErrorStatusUpdateControl<P> onError(
            P resource, Context<P> context, Exception e, Supplier<S> fresh, Instant now) {
        String what = e.getClass().getSimpleName() + ": " + e.getMessage();
        EventRecorder.warning(context.getClient(), resource, "ReconcileFailed", what);
        boolean lastAttempt = context.getRetryInfo().map(RetryInfo::isLastAttempt).orElse(true);
        if (!lastAttempt || JobStatuses.phaseOf(resource.getStatus()).isFinal()) {
            return ErrorStatusUpdateControl.defaultErrorProcessing();
        }
        resource.setStatus(JobStatuses.failed(JobStatuses.copy(resource.getStatus(), fresh), generation(resource),
                FailureReason.OPERATOR_ERROR, "the operator could not go on: " + what + "; fix the cause (the "
                        + "operator's RBAC, a quota, a webhook) and create a new " + resource.getKind(), now));
        return ErrorStatusUpdateControl.patchStatus(resource);
    }

    public static long generation(CustomResource<?, ?> resource) {
        return resource.getMetadata().getGeneration() == null ? 0 : resource.getMetadata().getGeneration();
    }
}
