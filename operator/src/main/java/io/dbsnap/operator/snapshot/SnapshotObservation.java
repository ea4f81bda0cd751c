package io.dbsnap.operator.snapshot;

import io.dbsnap.api.job.SnapshotJobResult;
import io.dbsnap.operator.job.JobObservation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.util.List;

/** What a snapshot Job says; a success is believed only with a checksum and a location inside the spec's store. */
final class SnapshotObservation {

    private SnapshotObservation() {
    }

    /** @param storeUri where the snapshot must be ({@code s3://bucket/prefix}) */
    static JobObservation<SnapshotJobResult> of(Job job, List<Pod> pods, String storeUri) {
        return JobObservation.of(job, pods, SnapshotJobResult.class, r -> r.checksum() != null
                && r.location() != null && r.location().startsWith(storeUri + "/"), "snapshot");
    }
}
