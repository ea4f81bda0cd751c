package io.dbsnap.operator.snapshot;

import io.dbsnap.operator.snapshot.SnapshotSpecValidator.Problem;

/** Found while preparing a snapshot's Job: the Job is not made, and the snapshot fails with this problem. */
final class Refused extends RuntimeException {

    private final transient Problem problem;

    Refused(String reason, String message) {
        super(message);
        this.problem = new Problem(reason, message);
    }

    Problem problem() {
        return problem;
    }
}
