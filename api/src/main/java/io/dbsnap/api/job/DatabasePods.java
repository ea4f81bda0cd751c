package io.dbsnap.api.job;

import io.fabric8.kubernetes.api.model.Pod;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which pod a snapshot reads: the rule the operator applies when it picks the pod a selector means
 * (and grants the Job access to that pod alone), and the agent when it checks the pod before reading.
 */
public final class DatabasePods {

    private DatabasePods() {
    }

    /** Running, Ready and not being deleted: a pod whose database answers. */
    public static boolean isReady(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null
                || !"Running".equals(pod.getStatus().getPhase())) {
            return false;
        }
        return pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Of the pods a selector matched, the Ready one first by name: the same pod on every run while it is up. */
    public static Optional<Pod> chooseReady(List<Pod> matched) {
        return matched.stream().filter(DatabasePods::isReady).min(Comparator.comparing(p -> p.getMetadata().getName()));
    }

    /** Why a pod is not Ready, in a few words: {@code terminating}, {@code Pending}, {@code Running but not Ready}. */
    public static String describe(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return "terminating";
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return phase == null ? "without status" : phase + ("Running".equals(phase) ? " but not Ready" : "");
    }

    public static String noPodMatches(String namespace, String selector) {
        return "no pod in namespace " + namespace + " matches the selector " + selector
                + ": check spec.source.pod.selector";
    }

    public static String noneReady(String namespace, String selector, int matched) {
        return matched + " pod(s) in namespace " + namespace + " match " + selector + " but none is Running and Ready";
    }
}
