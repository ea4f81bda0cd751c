package io.dbsnap.operator.job;

import io.dbsnap.api.job.AgentResult;
import io.dbsnap.api.job.FailureReason;
import io.dbsnap.api.job.TerminationMessage;
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
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What an agent Job says, read from the Job's conditions and its pods' termination messages.
 * Success needs all three: the Job Complete, a pod that exited 0, and its result saying succeeded
 * and passing the resource's own trust check (e.g. stored where the spec says).
 *
 * @param <R> the agent command's result
 */
public sealed interface JobObservation<R extends AgentResult> {

    record Waiting<R extends AgentResult>() implements JobObservation<R> {
    }

    record Running<R extends AgentResult>(String startTime) implements JobObservation<R> {
    }

    record Succeeded<R extends AgentResult>(R result) implements JobObservation<R> {
    }

    record Failed<R extends AgentResult>(String reason, String message) implements JobObservation<R> {
    }

    /** Not finished, and its pod cannot start ({@link PodTrouble}): "REASON: message". */
    record NotStarting<R extends AgentResult>(String trouble) implements JobObservation<R> {
    }

    /**
     * @param pods    the Job's own pods ({@link OwnedJob#finishedPods})
     * @param type    the result record the agent command writes
     * @param trusted what a successful result must also satisfy to be this resource's
     * @param noun    what the Job makes, for messages: "snapshot"
     */
    static <R extends AgentResult> JobObservation<R> of(Job job, List<Pod> pods, Class<R> type, Predicate<R> trusted,
                                                        String noun) {
        String name = job.getMetadata().getName();
        List<JobCondition> conditions = job.getStatus() == null ? null : job.getStatus().getConditions();
        if (isTrue(conditions, "Complete")) {
            return successOf(pods, type, trusted).<JobObservation<R>>map(Succeeded::new).orElseGet(() -> new Failed<>(
                    FailureReason.RESULT_MISSING, "Job " + name + " completed but none of its pods reported "
                    + "a successful " + noun + "; the " + noun + " is not trusted. Check kubectl logs job/" + name));
        }
        if (isTrue(conditions, "Failed")) {
            Optional<R> reported = latestResult(pods, type).filter(r -> !r.succeeded());
            if (reported.isPresent()) {
                return new Failed<>(reported.get().reason(), reported.get().message());
            }
            JobCondition failed = conditions.stream().filter(c -> "Failed".equals(c.getType())).findFirst().orElseThrow();
            if ("DeadlineExceeded".equals(failed.getReason())) {
                return new Failed<>(FailureReason.DEADLINE_EXCEEDED, "Job " + name + " ran longer than its "
                        + "activeDeadlineSeconds (" + job.getSpec().getActiveDeadlineSeconds() + "s) and was stopped;"
                        + " raise spec.job.activeDeadlineSeconds for a database this size");
            }
            String detail = terminatedNewestFirst(pods).findFirst().map(ContainerStateTerminated::getMessage)
                    .filter(m -> m != null && !m.isBlank()).map(m -> ": " + m.strip()).orElse("");
            return new Failed<>(FailureReason.JOB_FAILED, "Job " + name + " failed ("
                    + Objects.requireNonNullElse(failed.getReason(), "no reason given") + ")" + detail
                    + "; see kubectl logs job/" + name);
        }
        if (job.getStatus() != null && job.getStatus().getStartTime() != null) {
            return new Running<>(job.getStatus().getStartTime());
        }
        return new Waiting<>();
    }

    /** Whether the Job has finished, either way: only then are its pods read. */
    public static boolean finished(Job job) {
        List<JobCondition> conditions = job.getStatus() == null ? null : job.getStatus().getConditions();
        return isTrue(conditions, "Complete") || isTrue(conditions, "Failed");
    }

    private static <R extends AgentResult> Optional<R> successOf(List<Pod> pods, Class<R> type, Predicate<R> trusted) {
        return terminatedNewestFirst(pods)
                .filter(t -> t.getExitCode() != null && t.getExitCode() == 0)
                .map(t -> TerminationMessage.read(t.getMessage(), type))
                .filter(r -> r != null && r.succeeded() && trusted.test(r))
                .findFirst();
    }

    private static <R extends AgentResult> Optional<R> latestResult(List<Pod> pods, Class<R> type) {
        return terminatedNewestFirst(pods).map(t -> TerminationMessage.read(t.getMessage(), type))
                .filter(Objects::nonNull).findFirst();
    }

    private static Stream<ContainerStateTerminated> terminatedNewestFirst(List<Pod> pods) {
        return pods.stream()
                .sorted(Comparator.comparing((Pod p) -> Objects.requireNonNullElse(
                        p.getMetadata().getCreationTimestamp(), "")).reversed())
                .flatMap(p -> p.getStatus() == null || p.getStatus().getContainerStatuses() == null
                        ? Stream.<ContainerStatus>empty() : p.getStatus().getContainerStatuses().stream())
                .filter(s -> AgentJobTemplate.CONTAINER.equals(s.getName()) && s.getState() != null
                        && s.getState().getTerminated() != null)
                .map(s -> s.getState().getTerminated());
    }

    private static boolean isTrue(List<JobCondition> conditions, String type) {
        return conditions != null && conditions.stream()
                .anyMatch(c -> type.equals(c.getType()) && Conditions.TRUE.equals(c.getStatus()));
    }
}
