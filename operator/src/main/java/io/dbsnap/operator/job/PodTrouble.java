package io.dbsnap.operator.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Why a Job's pod cannot start, in the pod's own words: a Job whose image cannot be pulled, whose pod
 * fits no node or that may make no pod at all would otherwise sit in Pending until its deadline.
 */
public final class PodTrouble {

    /** How long a Job may go without any pod before that is reported: the Job controller retries meanwhile. */
    public static final Duration NO_POD_GRACE = Duration.ofSeconds(60);

    /** Waiting reasons a container does not leave by itself (the kubelet retries, the answer stays the same). */
    static final Set<String> STUCK = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "ErrImageNeverPull", "CreateContainerConfigError", "CreateContainerError", "RunContainerError");

    private PodTrouble() {
    }

    /**
     * @param pods the Job's own pods
     * @return "REASON: message" of the newest pod's trouble, or of a Job without pods after {@link #NO_POD_GRACE}
     */
    public static Optional<String> of(Job job, List<Pod> pods, Instant now) {
        Optional<Pod> newest = pods.stream().max(Comparator.comparing(
                (Pod p) -> Objects.requireNonNullElse(p.getMetadata().getCreationTimestamp(), "")));
        if (newest.isEmpty()) {
            return withoutPod(job, now);
        }
        Pod pod = newest.get();
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        Optional<String> unschedulable = Optional.ofNullable(pod.getStatus().getConditions()).stream()
                .flatMap(List::stream)
                .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
                        && "Unschedulable".equals(c.getReason()))
                .findFirst().map(c -> said(c.getReason(), c.getMessage()));
        if (unschedulable.isPresent()) {
            return unschedulable;
        }
        return Optional.ofNullable(pod.getStatus().getContainerStatuses()).stream().flatMap(List::stream)
                .filter(s -> AgentJobTemplate.CONTAINER.equals(s.getName()) && s.getState() != null)
                .map(s -> s.getState().getWaiting())
                .filter(w -> w != null && STUCK.contains(w.getReason()))
                .findFirst().map(w -> said(w.getReason(), w.getMessage()));
    }

    private static Optional<String> withoutPod(Job job, Instant now) {
        String created = job.getMetadata().getCreationTimestamp();
        if (created == null || Instant.parse(created).plus(NO_POD_GRACE).isAfter(now)) {
            return Optional.empty();
        }
        String name = job.getMetadata().getName();
        return Optional.of("NoPod: Job " + name + " has made no pod in " + NO_POD_GRACE.toSeconds() + "s; `kubectl "
                + "describe job " + name + "` shows why (a quota, a missing ServiceAccount, an admission webhook)");
    }

    private static String said(String reason, String message) {
        return reason + ": " + Objects.requireNonNullElse(message, "").strip();
    }
}
