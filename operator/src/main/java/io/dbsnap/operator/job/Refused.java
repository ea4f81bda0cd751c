package io.dbsnap.operator.job;

/**
 * Found while preparing a resource's Job (a conflict, a pod that is not there, an invalid spec): the
 * Job is not made, and the resource fails with the problem.
 */
public final class Refused extends RuntimeException {

    private final transient Problem problem;

    public Refused(Problem problem) {
        super(problem.message());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
