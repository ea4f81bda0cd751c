package io.dbsnap.operator.snapshot;

import io.dbsnap.api.job.FailureReason;
import io.dbsnap.api.job.JobProgress;
import io.dbsnap.api.job.SnapshotJobResult;
import io.dbsnap.api.v1alpha1.common.DeletionPolicy;
import io.dbsnap.api.v1alpha1.restore.SnapshotRestore;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotStatus;
import io.dbsnap.operator.common.DbsnapMetrics;
import io.dbsnap.operator.common.OperatorConfig;
import io.dbsnap.operator.common.OperatorSettings;
import io.dbsnap.operator.common.Ownership;
import io.dbsnap.operator.job.JobAccess;
import io.dbsnap.operator.job.JobErrors;
import io.dbsnap.operator.job.JobEvents;
import io.dbsnap.operator.job.JobObservation;
import io.dbsnap.operator.job.OwnedJob;
import io.dbsnap.operator.job.Refused;
import io.dbsnap.operator.restore.RestoreJobFactory;
import io.dbsnap.operator.restore.RestoreStatuses;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One DatabaseSnapshot, one Job, one result: final? -> validate -> ensure the Job (choosing the pod
 * and granting access to it first) -> observe it -> next status -> Events -> patch. A Succeeded or
 * Failed snapshot is never looked at again, whatever happens to its Job. The steps shared with
 * every Job-backed resource live in {@code operator/job}.
 *
 * <p>The finalizer goes only on snapshots whose stored data has to be deleted with them
 * ({@code deletionPolicy: Delete}); {@link StoredDataFinalizer} does that deletion.
 */
@ControllerConfiguration(name = "databasesnapshot")
public class DatabaseSnapshotReconciler implements Reconciler<DatabaseSnapshot> {

    private static final String FINALIZER = StoredDataFinalizer.FINALIZER;
    private static final Logger LOG = Logger.getLogger(DatabaseSnapshotReconciler.class);
    /** A safety net beside the Job informer: a running snapshot is looked at again at least this often. */
    private static final Duration POLL = Duration.ofSeconds(30);
    /** A queued snapshot is woken when a Job of its pod finishes; this is the safety net beside that. */
    private static final Duration QUEUE_POLL = Duration.ofSeconds(60);

    @Inject
    OperatorConfig config;

    @Inject
    DbsnapMetrics metrics = DbsnapMetrics.inMemory();

    Clock clock = Clock.systemUTC();

    /** Snapshot Jobs that run at once, per database pod and in all (shared with the restores); tests make their own. */
    @Inject
    volatile SnapshotQueue queue;

    final QueueWakeups wakeups = new QueueWakeups();

    static final String SNAPSHOT_JOBS = "snapshot-jobs";
    static final String RESTORE_JOBS = "restore-jobs";

    /** The snapshot Jobs the informer holds; tests list them from the API server instead. */
    Function<Context<DatabaseSnapshot>, Stream<Job>> snapshotJobs = context -> informerJobs(context, SNAPSHOT_JOBS);
    /** The restore Jobs the informer holds, which hold back snapshots of the pods they write into. */
    Function<Context<DatabaseSnapshot>, Stream<Job>> restoreJobs = context -> informerJobs(context, RESTORE_JOBS);

    @Override
    public List<EventSource<?, DatabaseSnapshot>> prepareEventSources(EventSourceContext<DatabaseSnapshot> context) {
        queue().wakeWith(wakeups::wake);
        return List.of(new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, DatabaseSnapshot.class)
                .withName(SNAPSHOT_JOBS)
                .withLabelSelector(SnapshotJobFactory.JOB_SELECTOR)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(DatabaseSnapshot.class))
                .build(), context),
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, DatabaseSnapshot.class)
                        .withName(RESTORE_JOBS)
                        .withLabelSelector(RestoreJobFactory.JOB_SELECTOR)
                        .withSecondaryToPrimaryMapper(this::restoreJobChanged)
                        .build(), context),
                wakeups);
    }

    /**
     * A restore Job is no snapshot's own: when one stops writing, the snapshots waiting for its pod are woken
     * through the queue's own event source, and the Job maps to no snapshot (so JOSDK indexes none).
     */
    private Set<ResourceID> restoreJobChanged(Job job) {
        if (!RestoreWrites.writes(job)) {
            wakeups.wake(queue().next(podOf(job)));
        }
        return Set.of();
    }

    /** Wakes waiting snapshots when one before them finishes; the Job informer maps a Job to its own snapshot only. */
    static final class QueueWakeups extends AbstractEventSource<Void, DatabaseSnapshot> {
        QueueWakeups() {
            super(Void.class, "snapshot-queue");
        }

        @Override
        public Set<Void> getSecondaryResources(DatabaseSnapshot snapshot) {
            return Set.of();
        }

        void wake(List<ResourceID> snapshots) {
            if (isRunning()) {
                snapshots.forEach(snapshot -> getEventHandler().handleEvent(new Event(snapshot)));
            }
        }
    }

    SnapshotQueue queue() {
        SnapshotQueue made = queue;
        if (made == null) {
            synchronized (this) {
                if (queue == null) {
                    queue = new SnapshotQueue(new SnapshotQueue.Limits(config.job().maxPerPod(), config.job().maxTotal()));
                }
                made = queue;
            }
        }
        return made;
    }

    @Override
    public UpdateControl<DatabaseSnapshot> reconcile(DatabaseSnapshot snapshot, Context<DatabaseSnapshot> context) {
        snapshot = withFinalizerAsPolicyWants(snapshot, context);
        KubernetesClient client = context.getClient();
        DatabaseSnapshotStatus current = snapshot.getStatus();
        if (SnapshotStatuses.phaseOf(current).isFinal()) {
            LOG.debugf("%s/%s is %s: nothing more to do, whatever happens to its Job", snapshot.getMetadata()
                    .getNamespace(), snapshot.getMetadata().getName(), SnapshotStatuses.phaseOf(current));
            // again, in case revoking failed when the result came in
            revokeAccess(client, snapshot);
            // and in case it became final without this reconciler (an error status after the last retry)
            queue().release(snapshot.getMetadata().getUid());
            return UpdateControl.noUpdate();
        }
        DatabaseSnapshotStatus next;
        try {
            validateBeforeTheJob(client, snapshot, context);
            next = observe(client, snapshot, ensureJob(client, snapshot, context));
        } catch (Refused refused) {
            next = SnapshotStatuses.failed(current, JobErrors.generation(snapshot), refused.problem().reason(),
                    refused.problem().message(), clock.instant());
        } catch (Queued queued) {
            return patchIfChanged(snapshot, current, SnapshotStatuses.queued(current, JobErrors.generation(snapshot),
                    queued.getMessage(), clock.instant()), QUEUE_POLL);
        }
        if (SnapshotStatuses.phaseOf(next).isFinal()) {
            // the result is in: the Job's identity may exec into the database pod no longer
            revokeAccess(client, snapshot);
            queue().release(snapshot.getMetadata().getUid());
            OwnedJob.cached(context, SnapshotJobFactory.jobName(snapshot)).map(DatabaseSnapshotReconciler::podOf)
                    .ifPresent(pod -> wakeups.wake(queue().next(pod)));
        }
        DatabaseSnapshotStatus after = next;
        JobEvents.announce(client, snapshot, "Snapshot", current, after, () -> "stored " + after.getDisplaySize()
                + " at " + after.getLocation() + " (" + after.getChecksum() + ")");
        if (SnapshotStatuses.phaseOf(after).isFinal()) {
            metrics.finished("snapshot", snapshot, after, after.getSize());
        }
        return patchIfChanged(snapshot, current, next, POLL);
    }

    /** A Delete-policy snapshot carries the finalizer, any other none; the answer is a copy to change. */
    private static DatabaseSnapshot withFinalizerAsPolicyWants(DatabaseSnapshot snapshot,
                                                               Context<DatabaseSnapshot> context) {
        boolean needsFinalizer = snapshot.getSpec() != null
                && snapshot.getSpec().getDeletionPolicy() == DeletionPolicy.Delete;
        if (needsFinalizer == snapshot.hasFinalizer(FINALIZER)) {
            return snapshot;
        }
        DatabaseSnapshot updated = needsFinalizer ? context.resourceOperations().addFinalizer(FINALIZER)
                : context.resourceOperations().removeFinalizer(FINALIZER);
        // a copy: the answer sits in JOSDK's cache, and the status patch briefly edits what it is given
        return context.getControllerConfiguration().getConfigurationService().getResourceCloner().clone(updated);
    }

    /**
     * Spec and Secrets, checked before the Job exists: a Secret rotated while the Job runs must not fail
     * a snapshot that is being stored (the Job may exist before its name reached the status, if that
     * status write failed).
     */
    private void validateBeforeTheJob(KubernetesClient client, DatabaseSnapshot snapshot,
                                      Context<DatabaseSnapshot> context) {
        if (hadJob(snapshot) || OwnedJob.seen(context, SnapshotJobFactory.jobName(snapshot))) {
            return;
        }
        SnapshotSpecValidator.validate(snapshot.getSpec(), config.storage().allowedEndpoints().orElse(Set.of()))
                .or(() -> SecretCheck.check(client, snapshot))
                .ifPresent(problem -> {
                    throw new Refused(problem);
                });
    }

    private Optional<Job> ensureJob(KubernetesClient client, DatabaseSnapshot snapshot,
                                    Context<DatabaseSnapshot> context) {
        return OwnedJob.ensure(client, context, snapshot, SnapshotJobFactory.jobName(snapshot), hadJob(snapshot), () -> {
            String pod = SnapshotPod.choose(client, snapshot);
            String namespace = snapshot.getMetadata().getNamespace();
            SnapshotQueue.Entry entry = new SnapshotQueue.Entry(ResourceID.fromResource(snapshot),
                    snapshot.getMetadata().getUid(), namespace + "/" + pod,
                    Instant.parse(snapshot.getMetadata().getCreationTimestamp()));
            forgetFinishedClaims(client, entry.pod());
            Optional<String> restoring = RestoreWrites.into(entry.pod(), restoreJobs.apply(context));
            List<SnapshotQueue.SeenJob> jobs = snapshotJobs.apply(context).flatMap(job -> entryOf(job)
                    .map(e -> new SnapshotQueue.SeenJob(e, JobObservation.finished(job))).stream()).toList();
            (restoring.isPresent() ? queue().hold(entry, restoring.get(), clock.instant())
                    : queue().admit(entry, jobs, clock.instant())).ifPresent(why -> {
                throw new Queued(why);
            });
            JobAccess.grant(client, snapshot, access(snapshot, pod));
            return SnapshotJobFactory.create(snapshot, pod, OperatorSettings.of(config.job()));
        });
    }

    /**
     * Restores that claimed {@code pod} (before their restore Job exists, snapshots of it wait: {@link SnapshotQueue#admit})
     * but are gone, or finished without this operator seeing it, give their claim up here.
     */
    private void forgetFinishedClaims(KubernetesClient client, String pod) {
        for (SnapshotQueue.Claim claim : queue().claimsOn(pod)) {
            Optional<SnapshotRestore> restore;
            try {
                // listed, not read by name: the operator may list and watch restores, not get them
                restore = client.resources(SnapshotRestore.class).inNamespace(claim.restore().getNamespace().orElseThrow())
                        .list().getItems().stream()
                        .filter(r -> r.getMetadata().getName().equals(claim.restore().getName())).findFirst();
            } catch (KubernetesClientException e) {
                LOG.debugf("could not list restores to check the claim of %s: kept (%s)", claim.restore(), e.getMessage());
                continue;
            }
            if (restore.isEmpty() || RestoreStatuses.phaseOf(restore.get().getStatus()).isFinal()) {
                queue().unclaim(claim.restore());
            }
        }
    }

    private DatabaseSnapshotStatus observe(KubernetesClient client, DatabaseSnapshot snapshot, Optional<Job> job) {
        DatabaseSnapshotStatus current = snapshot.getStatus();
        long generation = JobErrors.generation(snapshot);
        Instant now = clock.instant();
        if (job.isEmpty()) {
            String name = current == null ? SnapshotJobFactory.jobName(snapshot) : current.getJobName();
            return SnapshotStatuses.failed(current, generation, FailureReason.JOB_LOST, "Job " + name
                    + " was deleted before it reported a result; create a new DatabaseSnapshot to try again", now);
        }
        Job found = job.get();
        JobObservation<SnapshotJobResult> observation = OwnedJob.observe(client, found, now,
                (j, pods) -> SnapshotObservation.of(j, pods, SnapshotJobFactory.storeUri(snapshot)));
        String jobName = found.getMetadata().getName();
        if (observation instanceof JobObservation.Succeeded<SnapshotJobResult> s) {
            return SnapshotStatuses.succeeded(current, generation, s.result(), now);
        }
        if (observation instanceof JobObservation.Failed<SnapshotJobResult> f) {
            return SnapshotStatuses.failed(current, generation, f.reason(), f.message(), now);
        }
        if (observation instanceof JobObservation.NotStarting<SnapshotJobResult> n) {
            return SnapshotStatuses.notStarting(current, generation, jobName, n.trouble(), now);
        }
        if (observation instanceof JobObservation.Running<SnapshotJobResult> r) {
            DatabaseSnapshotStatus running = SnapshotStatuses.inProgress(current, generation, jobName, r.startTime(), true,
                    now);
            return Optional.ofNullable(found.getMetadata().getAnnotations()).map(a -> a.get(JobProgress.ANNOTATION))
                    .flatMap(JobProgress::parse).map(p -> SnapshotStatuses.progressed(running, p, now)).orElse(running);
        }
        return SnapshotStatuses.inProgress(current, generation, jobName, current == null ? null : current.getStartTime(),
                false, now);
    }

    private static UpdateControl<DatabaseSnapshot> patchIfChanged(DatabaseSnapshot snapshot,
                                                                  DatabaseSnapshotStatus current,
                                                                  DatabaseSnapshotStatus next, Duration poll) {
        if (Objects.equals(current, next)) {
            return UpdateControl.<DatabaseSnapshot>noUpdate().rescheduleAfter(poll);
        }
        snapshot.setStatus(next);
        UpdateControl<DatabaseSnapshot> update = UpdateControl.patchStatus(snapshot);
        return SnapshotStatuses.phaseOf(next).isFinal() ? update : update.rescheduleAfter(poll);
    }

    private static boolean hadJob(DatabaseSnapshot snapshot) {
        return snapshot.getStatus() != null && snapshot.getStatus().getJobName() != null;
    }

    private static void revokeAccess(KubernetesClient client, DatabaseSnapshot snapshot) {
        JobAccess.revoke(client, snapshot, access(snapshot, null));
    }

    /** The identity of the snapshot's Job; {@code pod} matters only to what is granted, not to what is revoked. */
    private static List<HasMetadata> access(DatabaseSnapshot snapshot, String pod) {
        return JobAccess.toExecInto(snapshot, SnapshotJobFactory.jobName(snapshot), pod == null ? "" : pod,
                SnapshotJobFactory.labels(snapshot));
    }

    /** The Jobs an informer of this reconciler holds, in every namespace it watches. */
    @SuppressWarnings("unchecked")
    private static Stream<Job> informerJobs(Context<DatabaseSnapshot> context, String informer) {
        return ((Cache<Job>) context.eventSourceRetriever().getEventSourceFor(Job.class, informer)).list();
    }

    /** A snapshot Job as the queue counts it: its snapshot (by uid) and the pod it reads (both from the Job). */
    static Optional<SnapshotQueue.Entry> entryOf(Job job) {
        return Ownership.controllers(job).filter(ref -> "DatabaseSnapshot".equals(ref.getKind())).findFirst()
                .map(ref -> new SnapshotQueue.Entry(new ResourceID(ref.getName(), job.getMetadata().getNamespace()),
                        ref.getUid(), podOf(job), Instant.EPOCH));
    }

    /** {@code namespace/pod} the Job reads: its annotation, or for a Job an earlier version made, its --pod argument. */
    public static String podOf(Job job) {
        String namespace = job.getMetadata().getNamespace();
        return Optional.ofNullable(job.getMetadata().getAnnotations()).map(a -> a.get(SnapshotJobFactory.ANNOTATION_POD))
                .or(() -> job.getSpec().getTemplate().getSpec().getContainers().stream()
                        .flatMap(c -> Optional.ofNullable(c.getArgs()).orElse(List.of()).stream())
                        .filter(arg -> arg.startsWith("--pod=")).map(arg -> arg.substring("--pod=".length())).findFirst())
                .map(pod -> namespace + "/" + pod).orElse(namespace + "/");
    }

    /** The snapshot's Job may not start yet; the message says behind what it waits. */
    private static final class Queued extends RuntimeException {
        Queued(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public ErrorStatusUpdateControl<DatabaseSnapshot> updateErrorStatus(DatabaseSnapshot snapshot,
                                                                         Context<DatabaseSnapshot> context, Exception e) {
        return JobErrors.onError(snapshot, context, e, DatabaseSnapshotStatus::new, clock.instant());
    }
}
