package io.dbsnap.operator.snapshot;

import io.dbsnap.api.job.SnapshotFailureReason;
import io.dbsnap.api.v1alpha1.DatabaseSnapshot;
import io.dbsnap.api.v1alpha1.DatabaseSnapshotStatus;
import io.dbsnap.api.v1alpha1.DeletionPolicy;
import io.dbsnap.api.v1alpha1.SnapshotPhase;
import io.dbsnap.operator.common.EventRecorder;
import io.dbsnap.operator.common.JobAccess;
import io.dbsnap.operator.common.OperatorConfig;
import io.dbsnap.operator.common.Ownership;
import io.dbsnap.operator.common.OperatorSettings;
import io.dbsnap.operator.snapshot.SnapshotSpecValidator.Problem;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
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

/**
 * One DatabaseSnapshot, one Job, one result: validate -> choose the pod -> grant access to it ->
 * ensure the Job -> observe it -> status and Events -> revoke the access. A Succeeded or Failed
 * snapshot is never looked at again, whatever happens to its Job.
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

    @Inject
    OperatorConfig config;

    Clock clock = Clock.systemUTC();

    @Override
    public List<EventSource<?, DatabaseSnapshot>> prepareEventSources(EventSourceContext<DatabaseSnapshot> context) {
        return List.of(new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, DatabaseSnapshot.class)
                .withLabelSelector("app.kubernetes.io/component=snapshot,app.kubernetes.io/managed-by=dbsnap-operator")
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(DatabaseSnapshot.class))
                .build(), context));
    }

    @Override
    public UpdateControl<DatabaseSnapshot> reconcile(DatabaseSnapshot snapshot, Context<DatabaseSnapshot> context) {
        boolean needsFinalizer = snapshot.getSpec() != null
                && snapshot.getSpec().getDeletionPolicy() == DeletionPolicy.Delete;
        if (needsFinalizer != snapshot.hasFinalizer(FINALIZER)) {
            DatabaseSnapshot updated = needsFinalizer ? context.resourceOperations().addFinalizer(FINALIZER)
                    : context.resourceOperations().removeFinalizer(FINALIZER);
            // a copy: the answer sits in JOSDK's cache, and the status patch below briefly edits what it is given
            snapshot = context.getControllerConfiguration().getConfigurationService().getResourceCloner()
                    .clone(updated);
        }
        DatabaseSnapshotStatus current = snapshot.getStatus();
        KubernetesClient client = context.getClient();
        if (SnapshotStatuses.phaseOf(current).isFinal()) {
            LOG.debugf("%s/%s is %s: nothing more to do, whatever happens to its Job", snapshot.getMetadata()
                    .getNamespace(), snapshot.getMetadata().getName(), SnapshotStatuses.phaseOf(current));
            // again, in case revoking failed when the result came in
            JobAccess.revoke(client, access(snapshot, null), snapshot.getMetadata().getUid());
            return UpdateControl.noUpdate();
        }
        // checked before the Job exists: a Secret rotated while the Job runs must not fail a snapshot that is being
        // stored (the Job may exist before its name reached the status, if that status write failed)
        boolean jobMade = (current != null && current.getJobName() != null)
                || context.getSecondaryResource(Job.class).isPresent();
        DatabaseSnapshotStatus next;
        try {
            Optional<Problem> invalid = jobMade ? Optional.empty() : validate(client, snapshot);
            if (invalid.isPresent()) {
                throw new Refused(invalid.get().reason(), invalid.get().message());
            }
            next = observe(client, snapshot, ensureJob(client, snapshot, context));
        } catch (Refused refused) {
            next = SnapshotStatuses.failed(current, generation(snapshot), refused.problem().reason(),
                    refused.problem().message(), clock.instant());
        }
        if (SnapshotStatuses.phaseOf(next).isFinal()) {
            // the result is in: the Job's identity may exec into the database pod no longer
            JobAccess.revoke(client, access(snapshot, null), snapshot.getMetadata().getUid());
        }
        announce(client, snapshot, current, next);
        if (Objects.equals(current, next)) {
            return UpdateControl.<DatabaseSnapshot>noUpdate().rescheduleAfter(POLL);
        }
        snapshot.setStatus(next);
        UpdateControl<DatabaseSnapshot> update = UpdateControl.patchStatus(snapshot);
        return SnapshotStatuses.phaseOf(next).isFinal() ? update : update.rescheduleAfter(POLL);
    }

    private Optional<Problem> validate(KubernetesClient client, DatabaseSnapshot snapshot) {
        return SnapshotSpecValidator.validate(snapshot.getSpec(), config.storage().allowedEndpoints().orElse(Set.of()))
                .or(() -> SecretCheck.check(client, snapshot));
    }

    /**
     * The snapshot's Job: from the informer, else the API (just created), else newly created if it
     * never had one. A Job of that name the snapshot does not control is refused, never believed.
     */
    private Optional<Job> ensureJob(KubernetesClient client, DatabaseSnapshot snapshot, Context<DatabaseSnapshot> context) {
        String name = SnapshotJobFactory.jobName(snapshot);
        String namespace = snapshot.getMetadata().getNamespace();
        Optional<Job> job = context.getSecondaryResource(Job.class)
                .or(() -> Optional.ofNullable(client.batch().v1().jobs().inNamespace(namespace).withName(name).get()));
        if (job.isPresent() || (snapshot.getStatus() != null && snapshot.getStatus().getJobName() != null)) {
            // a Job this snapshot had and lost is reported as lost, never replaced: one snapshot, one Job
            return job.map(found -> ours(found, snapshot));
        }
        String pod = SnapshotPod.choose(client, snapshot);
        String uid = snapshot.getMetadata().getUid();
        Optional<String> conflict = JobAccess.grant(client, access(snapshot, pod), uid);
        if (conflict.isPresent()) {
            throw new Refused(SnapshotFailureReason.JOB_CONFLICT, conflict.get());
        }
        Job created = SnapshotJobFactory.create(snapshot, pod, OperatorSettings.defaults(config.job().image())
                .withImagePullPolicy(config.job().imagePullPolicy()));
        try {
            return Optional.of(client.resource(created).create());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return Optional.ofNullable(client.batch().v1().jobs().inNamespace(namespace).withName(name).get())
                        .map(found -> ours(found, snapshot));
            }
            throw e;
        }
    }

    private static Job ours(Job job, DatabaseSnapshot snapshot) {
        if (!Ownership.isControlledBy(job, snapshot.getMetadata().getUid())) {
            throw new Refused(SnapshotFailureReason.JOB_CONFLICT, "Job " + job.getMetadata().getName()
                    + " exists and is not this snapshot's (no controller reference to it); its result is not "
                    + "believed and dbsnap does not touch it: delete it and create a new DatabaseSnapshot");
        }
        return job;
    }

    /** The identity of the snapshot's Job; {@code pod} matters only to what is granted, not to what is revoked. */
    private static List<HasMetadata> access(DatabaseSnapshot snapshot, String pod) {
        return JobAccess.toExecInto(snapshot, SnapshotJobFactory.jobName(snapshot), pod == null ? "" : pod,
                SnapshotJobFactory.labels(snapshot));
    }

    private DatabaseSnapshotStatus observe(KubernetesClient client, DatabaseSnapshot snapshot, Optional<Job> job) {
        DatabaseSnapshotStatus current = snapshot.getStatus();
        long generation = generation(snapshot);
        Instant now = clock.instant();
        if (job.isEmpty()) {
            String name = current == null ? SnapshotJobFactory.jobName(snapshot) : current.getJobName();
            return SnapshotStatuses.failed(current, generation, SnapshotFailureReason.JOB_LOST, "Job " + name
                    + " was deleted before it reported a result; create a new DatabaseSnapshot to try again", now);
        }
        Job found = job.get();
        JobObservation observation = JobObservation.of(found, podsOf(client, found),
                SnapshotJobFactory.storeUri(snapshot.getSpec().getStorage().getS3()));
        String jobName = found.getMetadata().getName();
        if (observation instanceof JobObservation.Succeeded s) {
            return SnapshotStatuses.succeeded(current, generation, s.result(), now);
        }
        if (observation instanceof JobObservation.Failed f) {
            return SnapshotStatuses.failed(current, generation, f.reason(), f.message(), now);
        }
        if (observation instanceof JobObservation.Running r) {
            return SnapshotStatuses.inProgress(current, generation, jobName, r.startTime(), true, now);
        }
        return SnapshotStatuses.inProgress(current, generation, jobName, current == null ? null : current.getStartTime(),
                false, now);
    }

    /** Pods are read only once the Job has finished, for their termination messages. */
    private static List<Pod> podsOf(KubernetesClient client, Job job) {
        boolean finished = job.getStatus() != null && job.getStatus().getConditions() != null
                && job.getStatus().getConditions().stream().anyMatch(c -> "True".equals(c.getStatus())
                && ("Complete".equals(c.getType()) || "Failed".equals(c.getType())));
        if (!finished) {
            return List.of();
        }
        // only the Job's own pods: a pod that merely carries the label cannot speak for it
        return client.pods().inNamespace(job.getMetadata().getNamespace())
                .withLabel("job-name", job.getMetadata().getName()).list().getItems().stream()
                .filter(pod -> Ownership.isControlledBy(pod, job.getMetadata().getUid()))
                .toList();
    }

    private static void announce(KubernetesClient client, DatabaseSnapshot snapshot, DatabaseSnapshotStatus before,
                                 DatabaseSnapshotStatus after) {
        SnapshotPhase from = SnapshotStatuses.phaseOf(before);
        SnapshotPhase to = SnapshotStatuses.phaseOf(after);
        boolean jobIsNew = after.getJobName() != null && (before == null || before.getJobName() == null);
        if (jobIsNew && !to.isFinal()) {
            EventRecorder.normal(client, snapshot, "SnapshotStarted", "created Job " + after.getJobName());
        }
        if (from == to) {
            return;
        }
        if (to == SnapshotPhase.Succeeded) {
            EventRecorder.normal(client, snapshot, "SnapshotSucceeded", "stored " + after.getDisplaySize() + " at "
                    + after.getLocation() + " (" + after.getChecksum() + ")");
        } else if (to == SnapshotPhase.Failed) {
            var failed = after.getConditions().stream().filter(c -> SnapshotStatuses.FAILED.equals(c.getType()))
                    .findFirst().orElseThrow();
            EventRecorder.warning(client, snapshot, failed.getReason(), failed.getMessage());
        }
    }

    /**
     * An API error (a 403 from RBAC or a quota, a webhook's denial, an API server away) is a Warning
     * Event at each attempt, counted on one Event; when JOSDK gives up retrying, the snapshot ends
     * Failed with what went wrong, instead of waiting silently for the next resync.
     */
    @Override
    public ErrorStatusUpdateControl<DatabaseSnapshot> updateErrorStatus(DatabaseSnapshot snapshot,
                                                                         Context<DatabaseSnapshot> context, Exception e) {
        String what = e.getClass().getSimpleName() + ": " + e.getMessage();
        EventRecorder.warning(context.getClient(), snapshot, "ReconcileFailed", what);
        boolean lastAttempt = context.getRetryInfo().map(RetryInfo::isLastAttempt).orElse(true);
        if (!lastAttempt || SnapshotStatuses.phaseOf(snapshot.getStatus()).isFinal()) {
            return ErrorStatusUpdateControl.defaultErrorProcessing();
        }
        snapshot.setStatus(SnapshotStatuses.failed(snapshot.getStatus(), generation(snapshot),
                SnapshotFailureReason.OPERATOR_ERROR, "the operator could not go on: " + what
                        + "; fix the cause (the operator's RBAC, a quota, a webhook) and create a new DatabaseSnapshot",
                clock.instant()));
        return ErrorStatusUpdateControl.patchStatus(snapshot);
    }

    private static long generation(DatabaseSnapshot snapshot) {
        return snapshot.getMetadata().getGeneration() == null ? 0 : snapshot.getMetadata().getGeneration();
    }
}
