package io.dbsnap.operator.restore;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbsnap.api.job.FailureReason;
import io.dbsnap.api.job.RestoreJobResult;
import io.dbsnap.api.v1alpha1.common.JobPhase;
import io.dbsnap.api.v1alpha1.common.PodReference;
import io.dbsnap.api.v1alpha1.common.SnapshotSource;
import io.dbsnap.api.v1alpha1.restore.SnapshotRestore;
import io.dbsnap.api.v1alpha1.restore.SnapshotRestoreSpec;
import io.dbsnap.api.v1alpha1.restore.SnapshotRestoreStatus;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.operator.common.Conditions;
import io.dbsnap.operator.common.EventRecorder;
import io.dbsnap.operator.common.KubernetesNames;
import io.dbsnap.operator.common.OperatorConfig;
import io.dbsnap.operator.common.OperatorSettings;
import io.dbsnap.operator.job.JobAccess;
import io.dbsnap.operator.job.JobErrors;
import io.dbsnap.operator.job.JobEvents;
import io.dbsnap.operator.job.JobObservation;
import io.dbsnap.operator.job.JobStatuses;
import io.dbsnap.operator.job.OwnedJob;
import io.dbsnap.operator.job.Problem;
import io.dbsnap.operator.job.Refused;
import io.dbsnap.operator.snapshot.SecretCheck;
import io.dbsnap.operator.snapshot.SnapshotPod;
import io.dbsnap.operator.snapshot.SnapshotSpecValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
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
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One SnapshotRestore, in the order that keeps the target safe: resolve the snapshot -> verify every
 * byte and the target in a first Job (a dry run stops here, with its plan) -> take a DatabaseSnapshot
 * of the target and wait for it to succeed -> restore in a second Job, which verifies again before
 * it writes. Without a pre-restore snapshot the second Job alone does both. A finished restore is
 * never run again.
 */
@ControllerConfiguration(name = "snapshotrestore")
public class SnapshotRestoreReconciler implements Reconciler<SnapshotRestore> {

    private static final Logger LOG = Logger.getLogger(SnapshotRestoreReconciler.class);
    /** A safety net beside the informers: a running restore is looked at again at least this often. */
    private static final Duration POLL = Duration.ofSeconds(30);
    private static final ObjectMapper COPIER = new ObjectMapper();

    @Inject
    OperatorConfig config;

    Clock clock = Clock.systemUTC();

    @Override
    public List<EventSource<?, SnapshotRestore>> prepareEventSources(EventSourceContext<SnapshotRestore> context) {
        return List.of(
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, SnapshotRestore.class)
                        .withName("restore-jobs")
                        .withLabelSelector("app.kubernetes.io/component=restore,app.kubernetes.io/managed-by=dbsnap-operator")
                        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(SnapshotRestore.class))
                        .build(), context),
                // the pre-restore snapshot is not owned by the restore: it is found by its label
                new InformerEventSource<>(InformerEventSourceConfiguration.from(DatabaseSnapshot.class,
                                SnapshotRestore.class)
                        .withName("pre-restore-snapshots")
                        .withLabelSelector(RestoreJobFactory.LABEL_RESTORE)
                        .withSecondaryToPrimaryMapper(snapshot -> {
                            String restore = snapshot.getMetadata().getLabels().get(RestoreJobFactory.LABEL_RESTORE);
                            return restore == null ? Set.of()
                                    : Set.of(new ResourceID(restore, snapshot.getMetadata().getNamespace()));
                        })
                        .build(), context));
    }

    @Override
    public UpdateControl<SnapshotRestore> reconcile(SnapshotRestore restore, Context<SnapshotRestore> context) {
        KubernetesClient client = context.getClient();
        SnapshotRestoreStatus current = restore.getStatus();
        if (RestoreStatuses.phaseOf(current).isFinal()) {
            LOG.debugf("%s/%s is %s: nothing more to do", restore.getMetadata().getNamespace(),
                    restore.getMetadata().getName(), RestoreStatuses.phaseOf(current));
            revokeAccess(client, restore);
            return UpdateControl.noUpdate();
        }
        long generation = JobErrors.generation(restore);
        SnapshotRestoreStatus next;
        try {
            ResolvedSource source = RestoreSources.resolve(client, restore, clock.instant());
            next = advance(client, context, restore, source, targetOf(restore, source));
        } catch (Refused refused) {
            next = RestoreStatuses.failed(current, generation, refused.problem().reason(), refused.problem().message(),
                    restoreJobStarted(restore, current), clock.instant());
        }
        if (RestoreStatuses.phaseOf(next).isFinal()) {
            revokeAccess(client, restore);
        }
        announce(client, restore, current, next);
        return patchIfChanged(restore, current, next);
    }

    /** The restore's next step, from where its status says it is. */
    private SnapshotRestoreStatus advance(KubernetesClient client, Context<SnapshotRestore> context,
                                          SnapshotRestore restore, ResolvedSource source, SnapshotSource target) {
        long generation = JobErrors.generation(restore);
        Instant now = clock.instant();
        SnapshotRestoreSpec spec = restore.getSpec();
        SnapshotRestoreStatus current = restore.getStatus();
        SnapshotRestoreStatus status = RestoreStatuses.described(current, source.display(),
                current == null ? null : current.getTarget(), RestoreJobFactory.location(source));
        boolean dryRun = Boolean.TRUE.equals(spec.getDryRun());
        boolean safetyFirst = !dryRun && !Boolean.FALSE.equals(spec.getPreRestoreSnapshot());
        String verifyJob = RestoreJobFactory.verifyJobName(restore);
        String restoreJob = RestoreJobFactory.restoreJobName(restore);
        boolean restoring = restoreJob.equals(status.getJobName());

        if ((dryRun || safetyFirst) && status.getVerifiedChecksum() == null && !restoring) {
            SnapshotRestoreStatus verifying = status;
            Optional<Job> job = OwnedJob.ensure(client, context, restore, verifyJob, verifyJob.equals(status.getJobName()),
                    () -> prepare(client, restore, source, target, verifying, verifyJob, true));
            JobObservation<RestoreJobResult> seen = observe(client, job, source);
            if (!(seen instanceof JobObservation.Succeeded<RestoreJobResult> verified)) {
                return unfinished(status, seen, generation, verifyJob, "verifying the snapshot", false, now);
            }
            status = RestoreStatuses.verified(status, generation, verified.result(), now);
            status.setTargetHeldNothing(verified.result().nothingToKeep());
            if (dryRun) {
                return RestoreStatuses.dryRunComplete(status, generation, now);
            }
        }
        if (safetyFirst && !restoring) {
            Optional<SnapshotRestoreStatus> waiting = safetyFirst(client, restore, source, target, status, generation, now);
            if (waiting.isPresent()) {
                return waiting.get();
            }
        }
        SnapshotRestoreStatus ready = status;
        // what was verified is what is restored: an object replaced since then is refused, not restored
        ResolvedSource verified = source.pinnedTo(status.getVerifiedChecksum());
        Optional<Job> job = OwnedJob.ensure(client, context, restore, restoreJob, restoring,
                () -> prepare(client, restore, verified, target, ready, restoreJob, false));
        JobObservation<RestoreJobResult> seen = observe(client, job, verified);
        if (seen instanceof JobObservation.Succeeded<RestoreJobResult> restored) {
            return RestoreStatuses.succeeded(status, generation, restored.result(), now);
        }
        return unfinished(status, seen, generation, restoreJob, "restoring into " + status.getTarget(), true, now);
    }

    /**
     * The pre-restore snapshot: made once the snapshot is verified, and waited for; empty once it has
     * succeeded (or when the target held nothing to keep), a status to write while it has not.
     */
    private Optional<SnapshotRestoreStatus> safetyFirst(KubernetesClient client, SnapshotRestore restore,
                                                       ResolvedSource source, SnapshotSource target,
                                                       SnapshotRestoreStatus status, long generation, Instant now) {
        if (Boolean.TRUE.equals(status.getTargetHeldNothing())) {
            return Optional.empty();
        }
        String namespace = restore.getMetadata().getNamespace();
        String name = PreRestoreSnapshots.name(restore);
        DatabaseSnapshot safety = client.resources(DatabaseSnapshot.class).inNamespace(namespace).withName(name).get();
        if (safety == null) {
            if (status.getPreRestoreSnapshot() != null) {
                return Optional.of(RestoreStatuses.failed(status, generation, FailureReason.PRE_RESTORE_SNAPSHOT_FAILED,
                        "DatabaseSnapshot " + name + " was deleted before it succeeded; nothing was restored", false,
                        now));
            }
            String pod = targetPod(client, restore, target, status);
            try {
                client.resource(PreRestoreSnapshots.of(restore, source, pinned(target, pod))).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                // made by an earlier reconcile whose status write was lost; read again next time
            }
            EventRecorder.normal(client, restore, "PreRestoreSnapshotCreated", "created DatabaseSnapshot " + name
                    + " of " + status.getTarget() + "; nothing is changed before it has succeeded");
            return Optional.of(RestoreStatuses.awaitingSafetySnapshot(status, generation, name, now));
        }
        String label = safety.getMetadata().getLabels() == null ? null
                : safety.getMetadata().getLabels().get(RestoreJobFactory.LABEL_RESTORE);
        if (!KubernetesNames.labelValue(restore.getMetadata().getName()).equals(label)) {
            throw new Refused(new Problem(FailureReason.JOB_CONFLICT, "DatabaseSnapshot " + name + " exists and is not "
                    + "this restore's pre-restore snapshot (no " + RestoreJobFactory.LABEL_RESTORE + " label naming it); "
                    + "it is not trusted as one: delete it or create the restore under another name"));
        }
        JobPhase phase = JobStatuses.phaseOf(safety.getStatus());
        if (phase == JobPhase.Failed) {
            String why = safety.getStatus().getConditions() == null ? "" : safety.getStatus().getConditions().stream()
                    .filter(c -> JobStatuses.FAILED.equals(c.getType())).findFirst()
                    .map(c -> " (" + c.getReason() + ": " + c.getMessage() + ")").orElse("");
            return Optional.of(RestoreStatuses.failed(status, generation, FailureReason.PRE_RESTORE_SNAPSHOT_FAILED,
                    "the pre-restore DatabaseSnapshot " + name + " failed" + why + "; nothing was restored", false, now));
        }
        if (phase != JobPhase.Succeeded) {
            return Optional.of(RestoreStatuses.awaitingSafetySnapshot(status, generation, name, now));
        }
        status.setPreRestoreSnapshot(name);
        return Optional.empty();
    }

    /**
     * Before a Job: the target and storage checked, the pod chosen (once, then kept for every step),
     * the protection honoured, and the Job's identity allowed to exec into that pod alone.
     */
    private Job prepare(KubernetesClient client, SnapshotRestore restore, ResolvedSource source, SnapshotSource target,
                        SnapshotRestoreStatus status, String jobName, boolean verify) {
        String namespace = restore.getMetadata().getNamespace();
        String storageField = restore.getSpec().getSource().getLocation() != null ? "spec.source.location"
                : "the snapshot's spec.storage";
        SnapshotSpecValidator.validateSource(target, "spec.target")
                .or(() -> SnapshotSpecValidator.validateStorage(source.storage(), storageField,
                        config.storage().allowedEndpoints().orElse(Set.of())))
                .or(() -> SecretCheck.check(client, namespace, source.storage(), storageField, target, "spec.target"))
                .or(() -> engineMismatch(source, target))
                .ifPresent(problem -> {
                    throw new Refused(problem);
                });
        String pod = targetPod(client, restore, target, status);
        JobAccess.grant(client, restore, access(restore, jobName, pod));
        return RestoreJobFactory.create(restore, source, pinned(target, pod), pod, verify,
                OperatorSettings.defaults(config.job().image()).withImagePullPolicy(config.job().imagePullPolicy()));
    }

    /** The target pod: the one chosen at the first step, else chosen now, and refused while it is protected. */
    private static String targetPod(KubernetesClient client, SnapshotRestore restore, SnapshotSource target,
                                    SnapshotRestoreStatus status) {
        String namespace = restore.getMetadata().getNamespace();
        String pod = status.getTarget() != null ? status.getTarget().split("/", 3)[1]
                : SnapshotPod.choose(client, namespace, target.getPod());
        String identity = TargetProtection.identity(namespace, pod, target.getPath() != null ? target.getPath()
                : target.getDatabase());
        status.setTarget(identity);
        if (Boolean.TRUE.equals(restore.getSpec().getDryRun())) {
            // a dry run changes nothing, so a protected target may be planned for
            return pod;
        }
        Pod found = client.pods().inNamespace(namespace).withName(pod).get();
        if (found == null) {
            throw new Refused(new Problem(FailureReason.POD_NOT_FOUND, "the target pod " + namespace + "/" + pod
                    + " does not exist: name a pod in spec.target.pod"));
        }
        Namespace ns = client.namespaces().withName(namespace).get();
        TargetProtection.check(found.getMetadata().getAnnotations(), ns == null ? Map.of()
                        : ns.getMetadata().getAnnotations(), identity, restore.getSpec().getConfirm())
                .ifPresent(problem -> {
                    throw new Refused(problem);
                });
        return pod;
    }

    /** The target, or the snapshot's own source; a location names none, so its restore must. */
    private static SnapshotSource targetOf(SnapshotRestore restore, ResolvedSource source) {
        SnapshotSource target = restore.getSpec().getTarget() != null ? restore.getSpec().getTarget() : source.takenFrom();
        if (target == null) {
            throw new Refused(new Problem(FailureReason.INVALID_SPEC, "spec.target is missing: a snapshot named by "
                    + "spec.source.location has no source of its own here, so name the pod to restore into"));
        }
        return target;
    }

    private static Optional<Problem> engineMismatch(ResolvedSource source, SnapshotSource target) {
        if (source.engine() == null || target.getEngine() == null || source.engine().equals(target.getEngine())) {
            return Optional.empty();
        }
        return Optional.of(new Problem(FailureReason.ENGINE_MISMATCH, source.display() + " is a " + source.engine()
                + " snapshot and spec.target.engine is " + target.getEngine() + ": restore it into a " + source.engine()
                + " database"));
    }

    /** The target with its pod fixed to the one chosen, so every step works on the same database. */
    private static SnapshotSource pinned(SnapshotSource target, String pod) {
        SnapshotSource copy = COPIER.convertValue(target, SnapshotSource.class);
        PodReference ref = COPIER.convertValue(target.getPod(), PodReference.class);
        ref.setName(pod);
        ref.setSelector(null);
        copy.setPod(ref);
        return copy;
    }

    private static JobObservation<RestoreJobResult> observe(KubernetesClient client, Optional<Job> job,
                                                            ResolvedSource source) {
        return job.map(found -> RestoreObservation.of(found, OwnedJob.finishedPods(client, found), source))
                .orElse(null);
    }

    /** A Job that has not succeeded: lost, failed, running or waiting. */
    private static SnapshotRestoreStatus unfinished(SnapshotRestoreStatus status, JobObservation<RestoreJobResult> seen,
                                                    long generation, String jobName, String work, boolean restoreJob,
                                                    Instant now) {
        if (seen == null) {
            return RestoreStatuses.failed(status, generation, FailureReason.JOB_LOST, "Job " + jobName + " was deleted "
                    + "before it reported a result; create a new SnapshotRestore to try again", restoreJob, now);
        }
        if (seen instanceof JobObservation.Failed<RestoreJobResult> f) {
            return RestoreStatuses.failed(status, generation, f.reason(), f.message(),
                    restoreJob && RestoreStatuses.touches(f.reason()), now);
        }
        if (seen instanceof JobObservation.Running<RestoreJobResult> r) {
            return RestoreStatuses.inProgress(status, generation, jobName, r.startTime(), true, work, now);
        }
        return RestoreStatuses.inProgress(status, generation, jobName, null, false, work, now);
    }

    private static boolean restoreJobStarted(SnapshotRestore restore, SnapshotRestoreStatus status) {
        return status != null && RestoreJobFactory.restoreJobName(restore).equals(status.getJobName());
    }

    private static void announce(KubernetesClient client, SnapshotRestore restore, SnapshotRestoreStatus before,
                                 SnapshotRestoreStatus after) {
        boolean wasVerified = before != null && Conditions.isTrue(before.getConditions(), RestoreStatuses.VERIFIED);
        if (!wasVerified && Conditions.isTrue(after.getConditions(), RestoreStatuses.VERIFIED)) {
            EventRecorder.normal(client, restore, "RestoreVerified", "every byte of " + after.getLocation()
                    + " matched " + after.getVerifiedChecksum());
        }
        JobEvents.announce(client, restore, "Restore", before, after, () -> Boolean.TRUE.equals(
                restore.getSpec().getDryRun()) ? "dry run of " + after.getSource() + " into " + after.getTarget()
                + ": verified, " + (after.getPlan() == null ? 0 : after.getPlan().size()) + " plan lines; nothing changed"
                : "restored " + after.getSource() + " into " + after.getTarget() + " (" + after.getVerifiedChecksum() + ")");
    }

    private static UpdateControl<SnapshotRestore> patchIfChanged(SnapshotRestore restore, SnapshotRestoreStatus current,
                                                                 SnapshotRestoreStatus next) {
        if (Objects.equals(current, next)) {
            return UpdateControl.<SnapshotRestore>noUpdate().rescheduleAfter(POLL);
        }
        restore.setStatus(next);
        UpdateControl<SnapshotRestore> update = UpdateControl.patchStatus(restore);
        return RestoreStatuses.phaseOf(next).isFinal() ? update : update.rescheduleAfter(POLL);
    }

    private static void revokeAccess(KubernetesClient client, SnapshotRestore restore) {
        for (String job : List.of(RestoreJobFactory.verifyJobName(restore), RestoreJobFactory.restoreJobName(restore))) {
            JobAccess.revoke(client, restore, access(restore, job, ""));
        }
    }

    private static List<HasMetadata> access(SnapshotRestore restore, String jobName, String pod) {
        return JobAccess.toExecInto(restore, jobName, pod, RestoreJobFactory.labels(restore));
    }

    @Override
    public ErrorStatusUpdateControl<SnapshotRestore> updateErrorStatus(SnapshotRestore restore,
                                                                        Context<SnapshotRestore> context, Exception e) {
        return JobErrors.onError(restore, context, e, SnapshotRestoreStatus::new, clock.instant());
    }
}
