package io.dbsnap.operator.restore;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbsnap.api.job.FailureReason;
import io.dbsnap.api.job.JobProgress;
import io.dbsnap.api.job.RestoreJobResult;
import io.dbsnap.api.v1alpha1.common.JobPhase;
import io.dbsnap.api.v1alpha1.common.PodReference;
import io.dbsnap.api.v1alpha1.common.SnapshotSource;
import io.dbsnap.api.v1alpha1.restore.SnapshotRestore;
import io.dbsnap.api.v1alpha1.restore.SnapshotRestoreSpec;
import io.dbsnap.api.v1alpha1.restore.SnapshotRestoreStatus;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.operator.common.Conditions;
import io.dbsnap.operator.common.DbsnapMetrics;
import io.dbsnap.operator.common.EventRecorder;
import io.dbsnap.operator.common.KubernetesNames;
import io.dbsnap.operator.common.OperatorConfig;
import io.dbsnap.operator.common.OperatorSettings;
import io.dbsnap.operator.common.Ownership;
import io.dbsnap.operator.job.JobAccess;
import io.dbsnap.operator.job.JobErrors;
import io.dbsnap.operator.job.JobEvents;
import io.dbsnap.operator.job.JobObservation;
import io.dbsnap.operator.job.JobStatuses;
import io.dbsnap.operator.job.OwnedJob;
import io.dbsnap.operator.job.Problem;
import io.dbsnap.operator.job.Refused;
import io.dbsnap.operator.snapshot.DatabaseSnapshotReconciler;
import io.dbsnap.operator.snapshot.RestoreWrites;
import io.dbsnap.operator.snapshot.SecretCheck;
import io.dbsnap.operator.snapshot.SnapshotPod;
import io.dbsnap.operator.snapshot.SnapshotQueue;
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

    @Inject
    DbsnapMetrics metrics = DbsnapMetrics.inMemory();

    /** Shared with the snapshots: a restore claims its target pod there, and waits for its snapshot Jobs. */
    @Inject
    SnapshotQueue snapshotQueue;

    Clock clock = Clock.systemUTC();

    @Override
    public List<EventSource<?, SnapshotRestore>> prepareEventSources(EventSourceContext<SnapshotRestore> context) {
        return List.of(
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, SnapshotRestore.class)
                        .withName("restore-jobs")
                        .withLabelSelector(RestoreJobFactory.JOB_SELECTOR)
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
            snapshotQueue.unclaim(ResourceID.fromResource(restore));
            return UpdateControl.noUpdate();
        }
        long generation = JobErrors.generation(restore);
        boolean restoring = restoreJobStarted(restore, current);
        SnapshotRestoreStatus next;
        try {
            // once the restore Job exists, what it restores is fixed: nothing is resolved or checked again
            next = restoring ? observeRestore(client, context, restore, current)
                    : advance(client, context, restore, resolve(client, restore, current));
        } catch (Refused refused) {
            next = RestoreStatuses.failed(current, generation, refused.problem().reason(), refused.problem().message(),
                    restoring, clock.instant());
        }
        if (RestoreStatuses.phaseOf(next).isFinal()) {
            revokeAccess(client, restore);
            snapshotQueue.unclaim(ResourceID.fromResource(restore));
        }
        announce(client, restore, current, next);
        if (RestoreStatuses.phaseOf(next).isFinal()) {
            metrics.finished("restore", restore, next, next.getRestoredBytes());
        }
        return patchIfChanged(restore, current, next);
    }

    /**
     * The snapshot this restore restores: resolved at its first step, and after that the same one or
     * none. A schedule's choice is kept by name (a newer snapshot of the schedule is not taken up half
     * way), and a source whose location or checksum moved since is refused: it changed under the restore.
     */
    private ResolvedSource resolve(KubernetesClient client, SnapshotRestore restore, SnapshotRestoreStatus current) {
        String namespace = restore.getMetadata().getNamespace();
        boolean chosen = current != null && current.getSource() != null && current.getSource().startsWith(namespace + "/");
        ResolvedSource source = chosen && restore.getSpec().getSource().getScheduleRef() != null
                ? RestoreSources.bySnapshotName(client, namespace, current.getSource().substring(namespace.length() + 1),
                "the snapshot spec.source.scheduleRef chose")
                : RestoreSources.resolve(client, restore, clock.instant());
        String location = RestoreJobFactory.location(source);
        if (current != null && current.getLocation() != null && !current.getLocation().equals(location)) {
            throw new Refused(new Problem(FailureReason.SNAPSHOT_NOT_FOUND, "the source now names " + location
                    + ", not " + current.getLocation() + " as when this restore began: it changed under the restore "
                    + "(deleted and made again?); create a new SnapshotRestore"));
        }
        if (source.beingDeleted() && !hasJob(client, restore)) {
            // not chosen anew; a restore with a Job already (its status write may have been lost) reads it to the
            // end, and the snapshot's finalizer keeps the data until it has
            throw new Refused(new Problem(FailureReason.SNAPSHOT_NOT_FOUND, "DatabaseSnapshot " + source.display()
                    + " is being deleted: restore another snapshot"));
        }
        String verified = current == null ? null : current.getVerifiedChecksum();
        if (verified != null && source.sha256() != null && !verified.equals(normalized(source.sha256()))) {
            throw new Refused(new Problem(FailureReason.CHECKSUM_MISMATCH, "the source now names checksum "
                    + source.sha256() + ", not the " + verified + " verified for this restore; create a new SnapshotRestore"));
        }
        return source.pinnedTo(verified);
    }

    /** Whether a verify or restore Job of this restore exists, asked of the API server. */
    private static boolean hasJob(KubernetesClient client, SnapshotRestore restore) {
        var jobs = client.batch().v1().jobs().inNamespace(restore.getMetadata().getNamespace());
        return jobs.withName(RestoreJobFactory.verifyJobName(restore)).get() != null
                || jobs.withName(RestoreJobFactory.restoreJobName(restore)).get() != null;
    }

    private static String normalized(String sha256) {
        return sha256.startsWith("sha256:") ? sha256 : "sha256:" + sha256;
    }

    /** The restore Job's outcome, against what the status fixed before it was made. */
    private SnapshotRestoreStatus observeRestore(KubernetesClient client, Context<SnapshotRestore> context,
                                                 SnapshotRestore restore, SnapshotRestoreStatus current) {
        long generation = JobErrors.generation(restore);
        Instant now = clock.instant();
        String restoreJob = RestoreJobFactory.restoreJobName(restore);
        // made again after a restart; its Job runs already, whatever else claims the pod now
        claim(restore, current.getTarget());
        Optional<Job> job = OwnedJob.ensure(client, context, restore, restoreJob, true, () -> {
            throw new IllegalStateException("a restore Job is made once");
        });
        JobObservation<RestoreJobResult> seen = job.map(found -> RestoreObservation.of(found,
                OwnedJob.finishedPods(client, found), current.getLocation(), current.getVerifiedChecksum())).orElse(null);
        if (seen instanceof JobObservation.Succeeded<RestoreJobResult> restored) {
            return RestoreStatuses.succeeded(current, generation, restored.result(), now);
        }
        return withProgress(unfinished(current, seen, generation, restoreJob, "restoring into " + current.getTarget(),
                true, now), job);
    }

    /** The restore's next step before its restore Job exists, from where its status says it is. */
    private SnapshotRestoreStatus advance(KubernetesClient client, Context<SnapshotRestore> context,
                                          SnapshotRestore restore, ResolvedSource resolved) {
        ResolvedSource source = resolved;
        SnapshotSource target = targetOf(restore, source);
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

        if ((dryRun || safetyFirst) && status.getVerifiedChecksum() == null) {
            SnapshotRestoreStatus verifying = status;
            Optional<Job> job = OwnedJob.ensure(client, context, restore, verifyJob, verifyJob.equals(status.getJobName()),
                    () -> prepare(client, restore, resolved, target, verifying, verifyJob, true));
            if (status.getTarget() == null) {
                // the Job was made by a reconcile whose status write was lost: its pod is the target's
                job.flatMap(SnapshotRestoreReconciler::podOf).ifPresent(pod -> verifying.setTarget(
                        TargetProtection.identity(restore.getMetadata().getNamespace(), pod, namedDatabase(target))));
            }
            JobObservation<RestoreJobResult> seen = observe(client, job, source);
            if (!(seen instanceof JobObservation.Succeeded<RestoreJobResult> verified)) {
                return unfinished(status, seen, generation, verifyJob, "verifying the snapshot", false, now);
            }
            String pod = podOf(status.getTarget());
            status = RestoreStatuses.verified(status, generation, verified.result(), now);
            status.setTargetHeldNothing(verified.result().nothingToKeep());
            if (namedDatabase(target) == null && verified.result().database() != null) {
                // the database the verify Job found (the snapshot's own, or the pod's default) is the one every
                // later step works on: the safety snapshot must be of the database the restore replaces
                status.setTarget(TargetProtection.identity(restore.getMetadata().getNamespace(), pod,
                        verified.result().database()));
            }
            source = source.pinnedTo(status.getVerifiedChecksum());
            if (dryRun) {
                return RestoreStatuses.dryRunComplete(status, generation, now);
            }
        }
        SnapshotRestoreStatus ready = status;
        // what was verified is what is restored: an object replaced since then is refused, not restored
        ResolvedSource verified = source;
        Optional<Job> job;
        try {
            if (safetyFirst) {
                // from here snapshots of the target wait, but for the pre-restore one
                claimFirst(restore, status.getTarget());
                Optional<SnapshotRestoreStatus> waiting = safetyFirst(client, restore, source, target, status,
                        generation, now);
                if (waiting.isPresent()) {
                    return waiting.get();
                }
            }
            job = OwnedJob.ensure(client, context, restore, restoreJob, false,
                    () -> prepare(client, restore, verified, target, ready, restoreJob, false));
        } catch (PodBusy busy) {
            return RestoreStatuses.awaitingPod(status, generation, busy.reason, busy.getMessage(), now);
        }
        JobObservation<RestoreJobResult> seen = observe(client, job, verified);
        if (seen instanceof JobObservation.Succeeded<RestoreJobResult> restored) {
            return RestoreStatuses.succeeded(status, generation, restored.result(), now);
        }
        return withProgress(unfinished(status, seen, generation, restoreJob, "restoring into " + status.getTarget(),
                true, now), job);
    }

    /** The restore Job's progress annotation, when it has one, in the status (kept after a failure: how far it got). */
    SnapshotRestoreStatus withProgress(SnapshotRestoreStatus status, Optional<Job> job) {
        return job.map(found -> found.getMetadata().getAnnotations()).map(a -> a.get(JobProgress.ANNOTATION))
                .flatMap(JobProgress::parse).map(progress -> RestoreStatuses.progressed(status, progress, clock.instant()))
                .orElse(status);
    }

    /** The database (or file) the spec names, else null. */
    private static String namedDatabase(SnapshotSource target) {
        return target.getPath() != null ? target.getPath() : target.getDatabase();
    }

    /** The pod of an identity {@code NAMESPACE/POD/DATABASE}. */
    private static String podOf(String identity) {
        return identity.split("/", 3)[1];
    }

    /** The pod a Job was made for, from its {@code --pod=} argument. */
    private static Optional<String> podOf(Job job) {
        return job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs().stream()
                .filter(arg -> arg.startsWith(io.dbsnap.api.job.AgentPodArgs.POD + "="))
                .map(arg -> arg.substring(io.dbsnap.api.job.AgentPodArgs.POD.length() + 1)).findFirst();
    }

    /**
     * The target as every step after verification works on it: its database pinned to the one the
     * verify Job found when the spec names none (its pod and selector as the spec has them).
     */
    private static SnapshotSource resolvedTarget(SnapshotSource target, SnapshotRestoreStatus status) {
        String[] identity = status.getTarget() == null ? null : status.getTarget().split("/", 3);
        if (namedDatabase(target) != null || identity == null || identity[2].equals("*")) {
            return target;
        }
        SnapshotSource copy = COPIER.convertValue(target, SnapshotSource.class);
        copy.setDatabase(identity[2]);
        return copy;
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
                client.resource(PreRestoreSnapshots.of(restore, source, pinned(resolvedTarget(target, status), pod),
                        status.getRecipients()))
                        .create();
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
            String why = Conditions.find(safety.getStatus().getConditions(), JobStatuses.FAILED)
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
                .or(() -> SecretCheck.identity(client, namespace, restore.getSpec().getDecryption()))
                .or(() -> engineMismatch(source, target))
                .ifPresent(problem -> {
                    throw new Refused(problem);
                });
        String pod = targetPod(client, restore, target, status);
        if (!verify) {
            claimFirst(restore, status.getTarget());
            awaitQuietPod(client, restore, namespace + "/" + pod);
        }
        JobAccess.grant(client, restore, access(restore, jobName, pod));
        // the selector goes with the pod, so the agent checks the pod still matches it (a failover since)
        return RestoreJobFactory.create(restore, source, resolvedTarget(target, status), pod, verify,
                OperatorSettings.of(config.job()));
    }

    /**
     * Snapshots of the target pod wait from now until this restore is final (its own pre-restore snapshot goes first).
     * Answers the older restore that claimed the same pod, if any.
     */
    private Optional<SnapshotQueue.Claim> claim(SnapshotRestore restore, String target) {
        if (target == null || Boolean.TRUE.equals(restore.getSpec().getDryRun())) {
            return Optional.empty();
        }
        String namespace = restore.getMetadata().getNamespace();
        boolean safetyFirst = !Boolean.FALSE.equals(restore.getSpec().getPreRestoreSnapshot());
        return snapshotQueue.claim(new SnapshotQueue.Claim(ResourceID.fromResource(restore),
                namespace + "/" + podOf(target), safetyFirst ? new ResourceID(PreRestoreSnapshots.name(restore), namespace)
                : null, Instant.parse(restore.getMetadata().getCreationTimestamp())));
    }

    /** The claim, and a wait while an older restore of the same pod goes first. */
    private void claimFirst(SnapshotRestore restore, String target) {
        claim(restore, target).ifPresent(first -> {
            throw new PodBusy(RestoreStatuses.REASON_RESTORE_RUNNING, "waiting for SnapshotRestore "
                    + first.restore().getName() + ", which restores pod " + first.pod() + " first");
        });
    }

    /**
     * The restore Job starts only once nothing else reads or writes its pod: a snapshot admitted before the claim
     * would read the database while it is replaced, another restore's Job (say, from before a restart) would write
     * beside it. The queue is asked first, then the API (restores are few): a snapshot admitted before the claim has
     * its Job by the time the API is listed, or still holds its place in the queue.
     */
    private void awaitQuietPod(KubernetesClient client, SnapshotRestore restore, String pod) {
        String namespace = pod.substring(0, pod.indexOf('/'));
        // its own pre-restore snapshot has succeeded by now, though its Job may not yet say it is complete
        String ownSnapshot = PreRestoreSnapshots.name(restore);
        List<String> reading = new java.util.ArrayList<>();
        snapshotQueue.admittedOn(pod, clock.instant()).stream().filter(e -> !e.snapshot().getName().equals(ownSnapshot))
                .forEach(e -> reading.add("of DatabaseSnapshot " + e.snapshot().getName()));
        List<Job> jobs = client.batch().v1().jobs().inNamespace(namespace)
                .withLabel("app.kubernetes.io/managed-by", "dbsnap-operator").list().getItems().stream()
                .filter(job -> !JobObservation.finished(job) && DatabaseSnapshotReconciler.podOf(job).equals(pod))
                .filter(job -> Ownership.controllers(job).noneMatch(o -> o.getName().equals(ownSnapshot)
                        || o.getUid().equals(restore.getMetadata().getUid())))
                .toList();
        jobs.stream().filter(job -> "snapshot".equals(component(job))).forEach(job -> reading.add(job.getMetadata().getName()));
        if (!reading.isEmpty()) {
            throw new PodBusy(RestoreStatuses.REASON_SNAPSHOT_RUNNING, "waiting for snapshot Job " + String.join(", ",
                    reading.stream().sorted().distinct().toList()) + " of pod " + pod
                    + " to finish; nothing is changed while it reads");
        }
        jobs.stream().filter(job -> "restore".equals(component(job)) && RestoreWrites.writes(job)).findFirst()
                .ifPresent(job -> {
                    throw new PodBusy(RestoreStatuses.REASON_RESTORE_RUNNING, "waiting for restore Job "
                            + job.getMetadata().getName() + " of pod " + pod + " to finish");
                });
    }

    private static String component(Job job) {
        return job.getMetadata().getLabels() == null ? null : job.getMetadata().getLabels().get("app.kubernetes.io/component");
    }

    /** The restore's next Job (or its pre-restore snapshot) may not start yet: the message says behind what it waits. */
    private static final class PodBusy extends RuntimeException {
        final String reason;

        PodBusy(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    /** The target pod: the one chosen at the first step, else chosen now, and refused while it is protected. */
    private static String targetPod(KubernetesClient client, SnapshotRestore restore, SnapshotSource target,
                                    SnapshotRestoreStatus status) {
        String namespace = restore.getMetadata().getNamespace();
        String pod = status.getTarget() != null ? podOf(status.getTarget())
                : SnapshotPod.choose(client, namespace, target.getPod());
        String named = TargetProtection.identity(namespace, pod, namedDatabase(target));
        if (status.getTarget() == null) {
            status.setTarget(named);
        }
        // confirmed as the spec names it, or as the database the verify Job found
        String identity = status.getTarget().equals(restore.getSpec().getConfirm()) ? status.getTarget() : named;
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

    private JobObservation<RestoreJobResult> observe(KubernetesClient client, Optional<Job> job, ResolvedSource source) {
        return job.map(found -> OwnedJob.observe(client, found, clock.instant(),
                (j, pods) -> RestoreObservation.of(j, pods, source))).orElse(null);
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
        if (seen instanceof JobObservation.NotStarting<RestoreJobResult> n) {
            return RestoreStatuses.notStarting(status, generation, jobName, n.trouble(), now);
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
        if (restoreJobStarted(restore, restore.getStatus()) && !RestoreStatuses.phaseOf(restore.getStatus()).isFinal()) {
            // the restore Job may still be writing: Failed now would invite another restore over it; its result decides
            EventRecorder.warning(context.getClient(), restore, "ReconcileFailed", e.getClass().getSimpleName() + ": "
                    + e.getMessage() + " (the restore Job's result is awaited)");
            return ErrorStatusUpdateControl.<SnapshotRestore>noStatusUpdate().rescheduleAfter(POLL);
        }
        return JobErrors.onError(restore, context, e, SnapshotRestoreStatus::new, clock.instant());
    }
}
