package io.dbsnap.operator.job;

import io.dbsnap.api.job.AgentResult;
import io.dbsnap.api.job.FailureReason;
import io.dbsnap.operator.common.KubernetesNames;
import io.dbsnap.operator.common.Ownership;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * One resource, one Job, controlled by it. The Job is looked up in the informer, then the API (it may
 * be newer than the informer), made only if the resource never had one, and believed only with the
 * resource's controller reference. A Job it had and lost is reported as lost, never replaced.
 */
public final class OwnedJob {

    private OwnedJob() {
    }

    /**
     * @param hadOne  whether the resource's status already names its Job
     * @param prepare what to do before the Job exists (choose a pod, grant access) and the Job to make;
     *                called only when there is none, and may throw {@link Refused}
     * @return the resource's Job, or empty when it had one and it is gone
     */
    public static Optional<Job> ensure(KubernetesClient client, Context<?> context, HasMetadata owner, String name,
                                       boolean hadOne, Supplier<Job> prepare) {
        String namespace = owner.getMetadata().getNamespace();
        Optional<Job> job = cached(context, name).or(() -> get(client, namespace, name));
        if (job.isPresent() || hadOne) {
            return job.map(found -> ours(found, owner));
        }
        // prepared outside the try: a conflict while granting access is not the Job's 409, and is retried
        Job toCreate = prepare.get();
        try {
            return Optional.of(client.resource(toCreate).create());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // made meanwhile, by an earlier reconcile whose answer was lost, or by someone else
            return get(client, namespace, name).map(found -> ours(found, owner));
        }
    }

    /** Whether the resource's Job exists already, seen by the informer; used to skip checks meant for before it. */
    public static boolean seen(Context<?> context, String name) {
        return cached(context, name).isPresent();
    }

    /** The informer's copy of the Job of that name; a resource may own several (a restore's verify and restore Jobs). */
    public static Optional<Job> cached(Context<?> context, String name) {
        return context.getSecondaryResources(Job.class).stream()
                .filter(job -> name.equals(job.getMetadata().getName())).findFirst();
    }

    /** The Job's own pods once it has finished, for their termination messages; none while it runs. */
    public static List<Pod> finishedPods(KubernetesClient client, Job job) {
        return JobObservation.finished(job) ? pods(client, job) : List.of();
    }

    /**
     * What the Job says ({@code read} turns it and its pods into an observation); while it has not finished,
     * a pod that cannot start ({@link PodTrouble}) makes it {@link JobObservation.NotStarting}.
     */
    public static <R extends AgentResult> JobObservation<R> observe(KubernetesClient client, Job job, Instant now,
                                                                   BiFunction<Job, List<Pod>, JobObservation<R>> read) {
        List<Pod> pods = pods(client, job);
        JobObservation<R> seen = read.apply(job, pods);
        if (seen instanceof JobObservation.Waiting<R> || seen instanceof JobObservation.Running<R>) {
            return PodTrouble.of(job, pods, now).<JobObservation<R>>map(JobObservation.NotStarting::new).orElse(seen);
        }
        return seen;
    }

    private static List<Pod> pods(KubernetesClient client, Job job) {
        // only the Job's own pods: a pod that merely carries the label cannot speak for it
        return client.pods().inNamespace(job.getMetadata().getNamespace())
                .withLabel("job-name", job.getMetadata().getName()).list().getItems().stream()
                .filter(pod -> Ownership.isControlledBy(pod, job.getMetadata().getUid()))
                .toList();
    }

    static Job ours(Job job, HasMetadata owner) {
        if (!Ownership.isControlledBy(job, owner.getMetadata().getUid())) {
            throw new Refused(new Problem(FailureReason.JOB_CONFLICT, "Job " + job.getMetadata().getName() + " exists and is not "
                    + "this " + KubernetesNames.noun(owner) + "'s (no controller reference to it); its result is not "
                    + "believed and dbsnap does not touch it: delete it and create a new " + owner.getKind()));
        }
        return job;
    }

    private static Optional<Job> get(KubernetesClient client, String namespace, String name) {
        return Optional.ofNullable(client.batch().v1().jobs().inNamespace(namespace).withName(name).get());
    }
}
