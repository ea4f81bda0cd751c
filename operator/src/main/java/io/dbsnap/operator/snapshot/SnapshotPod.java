package io.dbsnap.operator.snapshot;

import io.dbsnap.operator.job.Problem;
import io.dbsnap.operator.job.Refused;
import io.dbsnap.api.job.DatabasePods;
import io.dbsnap.api.job.FailureReason;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.api.v1alpha1.common.PodReference;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;

/**
 * The pod a snapshot reads, decided before its Job exists, so that the Job may exec into that pod
 * alone: the named one, or the one {@link DatabasePods#chooseReady} picks of those the selector matches.
 */
public final class SnapshotPod {

    private SnapshotPod() {
    }

    static String choose(KubernetesClient client, DatabaseSnapshot snapshot) {
        return choose(client, snapshot.getMetadata().getNamespace(), snapshot.getSpec().getSource().getPod());
    }

    /** The same for any database in a pod: a restore's target too. */
    public static String choose(KubernetesClient client, String namespace, PodReference pod) {
        if (pod.getName() != null) {
            // whether it exists and is Ready the agent checks, as it starts
            return pod.getName();
        }
        String selector = DatabasePods.selector(pod.getSelector());
        List<Pod> matched = client.pods().inNamespace(namespace)
                .list(new ListOptionsBuilder().withLabelSelector(selector).build()).getItems();
        if (matched.isEmpty()) {
            throw new Refused(new Problem(FailureReason.POD_NOT_FOUND, DatabasePods.noPodMatches(namespace, selector)));
        }
        return DatabasePods.chooseReady(matched).map(p -> p.getMetadata().getName())
                .orElseThrow(() -> new Refused(new Problem(FailureReason.POD_NOT_READY,
                        DatabasePods.noneReady(namespace, selector, matched.size()))));
    }
}
