package io.dbsnap.operator.restore;

import io.dbsnap.api.job.RestoreJobResult;
import io.dbsnap.operator.job.JobObservation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.util.List;

/**
 * What a restore Job says; a success is believed only for the snapshot the restore resolved, with
 * a verified checksum, and (when the restore or its snapshot named one) the checksum it had to have.
 */
final class RestoreObservation {

    private RestoreObservation() {
    }

    static JobObservation<RestoreJobResult> of(Job job, List<Pod> pods, ResolvedSource source) {
        return of(job, pods, RestoreJobFactory.location(source), source.sha256());
    }

    /** @param sha256 the checksum the result must carry, or null when the Job's own arguments pinned one */
    static JobObservation<RestoreJobResult> of(Job job, List<Pod> pods, String location, String sha256) {
        String expected = sha256 == null ? null : sha256.startsWith("sha256:") ? sha256 : "sha256:" + sha256;
        return JobObservation.of(job, pods, RestoreJobResult.class, r -> location.equals(r.location())
                && r.checksum() != null && (expected == null || expected.equals(r.checksum())), "restore");
    }
}
