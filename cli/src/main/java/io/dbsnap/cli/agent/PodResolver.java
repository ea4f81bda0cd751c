package io.dbsnap.cli.agent;

import io.dbsnap.api.job.DatabasePods;
import io.dbsnap.api.job.FailureReason;
import io.dbsnap.core.engine.Engines;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;

/** Finds the database pod: by name, or the first Running and Ready pod a label selector matches ({@link DatabasePods}). */
public final class PodResolver {

    private final KubernetesClient client;

    public PodResolver(KubernetesClient client) {
        this.client = client;
    }

    public ResolvedPod byName(String namespace, String name, String container) {
        Pod pod = client.pods().inNamespace(namespace).withName(name).get();
        if (pod == null) {
            throw new AgentFailure(FailureReason.POD_NOT_FOUND, "pod " + name + " not found in namespace "
                    + namespace + ": check spec.source.pod.name");
        }
        if (!DatabasePods.isReady(pod)) {
            throw new AgentFailure(FailureReason.POD_NOT_READY, "pod " + name + " in namespace " + namespace
                    + " is " + DatabasePods.describe(pod) + ", not Running and Ready: snapshot it once it is");
        }
        return resolved(pod, container);
    }

    /**
     * The pod the operator chose by {@code selector}, read by name: it must still match, or a
     * failover that moved a label (role=primary) would have the snapshot read the wrong database.
     */
    public ResolvedPod chosenBy(String namespace, String name, String selector, String container) {
        ResolvedPod pod = byName(namespace, name, container);
        if (!DatabasePods.matches(pod.labels(), selector)) {
            throw new AgentFailure(FailureReason.POD_NOT_FOUND, "pod " + name + " in namespace " + namespace
                    + " no longer matches the selector " + selector + " it was chosen by (its labels changed); "
                    + "nothing was read: create a new DatabaseSnapshot");
        }
        return pod;
    }

    public ResolvedPod bySelector(String namespace, String selector, String container) {
        List<Pod> pods = client.pods().inNamespace(namespace)
                .list(new ListOptionsBuilder().withLabelSelector(selector).build()).getItems();
        if (pods.isEmpty()) {
            throw new AgentFailure(FailureReason.POD_NOT_FOUND, DatabasePods.noPodMatches(namespace, selector));
        }
        Pod ready = DatabasePods.chooseReady(pods).orElseThrow(() -> new AgentFailure(
                FailureReason.POD_NOT_READY, DatabasePods.noneReady(namespace, selector, pods.size())));
        return resolved(ready, container);
    }

    /** The named container, else the one whose image runs a known database, else the first. */
    private static ResolvedPod resolved(Pod pod, String container) {
        List<Container> containers = pod.getSpec().getContainers();
        Container chosen;
        if (container != null) {
            chosen = containers.stream().filter(c -> c.getName().equals(container)).findFirst()
                    .orElseThrow(() -> new AgentFailure(FailureReason.POD_NOT_FOUND, "pod "
                            + pod.getMetadata().getName() + " has no container " + container + "; it has "
                            + String.join(", ", containers.stream().map(Container::getName).toList())));
        } else {
            chosen = containers.stream().filter(c -> c.getImage() != null && Engines.forImage(c.getImage()).isPresent())
                    .findFirst().orElse(containers.get(0));
        }
        return new ResolvedPod(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), chosen.getName(),
                chosen.getImage() == null ? "" : chosen.getImage(),
                pod.getMetadata().getLabels() == null ? java.util.Map.of() : pod.getMetadata().getLabels());
    }
}
