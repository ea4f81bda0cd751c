package io.dbsnap.operator.snapshot;

import io.dbsnap.operator.common.OperatorConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one {@link SnapshotQueue} of the operator, shared by the snapshot and the restore reconcilers. */
@Singleton
public class SnapshotQueues {

    /** Limits set wrong stop the operator as it starts. */
    @Produces
    @Singleton
    SnapshotQueue queue(OperatorConfig config) {
        return new SnapshotQueue(new SnapshotQueue.Limits(config.job().maxPerPod(), config.job().maxTotal()));
    }
}
