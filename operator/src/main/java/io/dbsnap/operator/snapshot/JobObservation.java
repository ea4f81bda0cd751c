package io.dbsnap.operator.snapshot;

import io.dbsnap.api.job.SnapshotFailureReason;
import io.dbsnap.api.job.SnapshotJobResult;
import io.dbsnap.operator.common.Conditions;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a snapshot Job says, read from the Job's conditions and its pods' termination messages.
 * Success needs all three: the Job Complete, a pod that exited 0, and its result saying succeeded.
 */
public sealed interface JobObservation {

    record Waiting() implements JobObservation {
    }

    record Running(String startTime) implements JobObservation {
    }

    record Succeeded(SnapshotJobResult result) implements JobObservation {
    }

    record Failed(String reason, String message) implements JobObservation {
    }

    /**
     * @param storeUri where the snapshot must be ({@code s3://bucket/prefix}): a result that says
     *                 anywhere else is not this snapshot's
     */
    static JobObservation of(Job job, List<Pod> pods, String storeUri) {
        String name = job.getMetadata().getName();
        List<JobCondition> conditions = job.getStatus() == null ? null : job.getStatus().getConditions();
        if (isTrue(conditions, "Complete")) {
            return successOf(pods, storeUri).<JobObservation>map(Succeeded::new).orElseGet(() -> new Failed(
                    SnapshotFailureReason.RESULT_MISSING, "Job " + name + " completed but none of its pods reported "
                    + "a successful snapshot; the snapshot is not trusted. Check kubectl logs job/" + name));
        }
        if (isTrue(conditions, "Failed")) {
            Optional<SnapshotJobResult> reported = latestResult(pods).filter(r -> !r.succeeded());
            if (reported.isPresent()) {
                return new Failed(reported.get().reason(), reported.get().message());
            }
            JobCondition failed = conditions.stream().filter(c -> "Failed".equals(c.getType())).findFirst().orElseThrow();
            if ("DeadlineExceeded".equals(failed.getReason())) {
                return new Failed(SnapshotFailureReason.DEADLINE_EXCEEDED, "Job " + name + " ran longer than its "
                        + "activeDeadlineSeconds (" + job.getSpec().getActiveDeadlineSeconds() + "s) and was stopped;"
                        + " raise spec.job.activeDeadlineSeconds for a database this size");
            }
            String detail = latestTerminated(pods).map(ContainerStateTerminated::getMessage)
                    .filter(m -> m != null && !m.isBlank()).map(m -> ": " + m.strip()).orElse("");
            return new Failed(SnapshotFailureReason.JOB_FAILED, "Job " + name + " failed ("
                    + Objects.requireNonNullElse(failed.getReason(), "no reason given") + ")" + detail
                    + "; see kubectl logs job/" + name);
        }
        if (job.getStatus() != null && job.getStatus().getStartTime() != null) {
            return new Running(job.getStatus().getStartTime());
        }
        return new Waiting();
    }

    private static Optional<SnapshotJobResult> successOf(List<Pod> pods, String storeUri) {
        return terminatedNewestFirst(pods)
                .filter(t -> t.getExitCode() != null && t.getExitCode() == 0)
                .map(t -> SnapshotJobResult.parse(t.getMessage()))
                .filter(r -> r != null && r.succeeded() && r.checksum() != null && r.location() != null
                        && r.location().startsWith(storeUri + "/"))
                .findFirst();
    }

    private static Optional<SnapshotJobResult> latestResult(List<Pod> pods) {
        return terminatedNewestFirst(pods).map(t -> SnapshotJobResult.parse(t.getMessage()))
                .filter(Objects::nonNull).findFirst();
    }

    private static Optional<ContainerStateTerminated> latestTerminated(List<Pod> pods) {
        return terminatedNewestFirst(pods).findFirst();
    }

    private static java.util.stream.Stream<ContainerStateTerminated> terminatedNewestFirst(List<Pod> pods) {
        return pods.stream()
                .sorted(Comparator.comparing((Pod p) -> Objects.requireNonNullElse(
                        p.getMetadata().getCreationTimestamp(), "")).reversed())
                .flatMap(p -> p.getStatus() == null || p.getStatus().getContainerStatuses() == null
                        ? java.util.stream.Stream.<ContainerStatus>empty() : p.getStatus().getContainerStatuses().stream())
                .filter(s -> SnapshotJobFactory.CONTAINER.equals(s.getName()) && s.getState() != null
                        && s.getState().getTerminated() != null)
                .map(s -> s.getState().getTerminated());
    }

    private static boolean isTrue(List<JobCondition> conditions, String type) {
        return conditions != null && conditions.stream()
                .anyMatch(c -> type.equals(c.getType()) && Conditions.TRUE.equals(c.getStatus()));
    }
}
