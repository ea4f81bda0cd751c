package io.dbsnap.operator.snapshot;

import io.dbsnap.api.job.AgentRestoreArgs;
import io.dbsnap.operator.common.Ownership;
import io.dbsnap.operator.job.JobObservation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A restore Job writing into a pod holds back every snapshot of that pod: one taken meanwhile would store a
 * half-restored database and call it Succeeded (schedules skip their slots for the same reason). The restore's
 * verify Job ({@code --dry-run}) changes nothing and holds back nothing; its pre-restore snapshot is taken
 * before the restore Job exists.
 */
public final class RestoreWrites {

    private RestoreWrites() {
    }

    /**
     * Why a snapshot of {@code pod} ({@code namespace/pod}) must wait, if one of {@code restoreJobs} is writing
     * into it: the same words for as long as it writes, so a waiting snapshot's status is not rewritten.
     */
    static Optional<String> into(String pod, Stream<Job> restoreJobs) {
        return restoreJobs.filter(RestoreWrites::writes)
                .filter(job -> DatabaseSnapshotReconciler.podOf(job).equals(pod))
                .map(RestoreWrites::restoreOf).sorted().findFirst().map(restore -> message(restore, pod));
    }

    static String message(String restore, String pod) {
        return "waiting for SnapshotRestore " + restore + " to finish writing into pod " + pod
                + ": a snapshot taken meanwhile would hold a half-restored database";
    }

    /** An unfinished restore Job that changes its target (not the verify Job of a restore or of a dry run). */
    public static boolean writes(Job job) {
        return !JobObservation.finished(job) && job.getSpec().getTemplate().getSpec().getContainers().stream()
                .flatMap(c -> Optional.ofNullable(c.getArgs()).orElse(List.of()).stream())
                .noneMatch(AgentRestoreArgs.DRY_RUN::equals);
    }

    private static String restoreOf(Job job) {
        return Ownership.controllers(job).filter(ref -> "SnapshotRestore".equals(ref.getKind()))
                .map(ref -> ref.getName()).findFirst().orElse("(Job " + job.getMetadata().getName() + ")");
    }
}
