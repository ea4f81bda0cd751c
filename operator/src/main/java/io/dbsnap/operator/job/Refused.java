package io.dbsnap.operator.job;

/**
 * Found while preparing a resource's Job (a conflict, a pod that is not there): the Job is not made,
 * and the resource fails with this reason and message.
 */
public final class Refused extends RuntimeException {

    private final String reason;

    public Refused(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
