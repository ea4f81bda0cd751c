package io.dbsnap.api.job;

import java.util.Optional;

/**
 * How far a running agent has come, written by the agent as an annotation on its own Job (the only
 * object its Role may change) and copied by the operator into the resource's status while it runs:
 * {@code dbsnap.io/progress: "BYTES/TOTAL"}, TOTAL 0 when it is not known (a dump's size is known only at
 * its end). Only informs; a result comes from the termination message.
 */
public record JobProgress(long bytes, long totalBytes) {

    public static final String ANNOTATION = "dbsnap.io/progress";
    /** The variables that name the agent's own Job in its pod. */
    public static final String JOB_NAME_ENV = "DBSNAP_JOB_NAME";
    public static final String JOB_NAMESPACE_ENV = "DBSNAP_JOB_NAMESPACE";

    public JobProgress {
        if (bytes < 0 || totalBytes < 0) {
            throw new IllegalArgumentException("progress is counted in bytes from 0");
        }
    }

    public String annotationValue() {
        return bytes + "/" + totalBytes;
    }

    /** The annotation's value read back; anything else than two counts is no progress at all. */
    public static Optional<JobProgress> parse(String value) {
        if (value == null || !value.matches("\\d{1,18}/\\d{1,18}")) {
            return Optional.empty();
        }
        int slash = value.indexOf('/');
        long bytes = Long.parseLong(value.substring(0, slash));
        long total = Long.parseLong(value.substring(slash + 1));
        // never more than all: a stray or hand-written annotation cannot claim more than was there
        return Optional.of(new JobProgress(total == 0 ? bytes : Math.min(bytes, total), total));
    }

    /** For status.progress and kubectl: {@code 412 MiB at 52 MiB/s}, or {@code 412 MiB of 800 MiB (51%) at 52 MiB/s}. */
    public String describe(java.time.Duration elapsed) {
        String done = io.dbsnap.api.storage.Sizes.human(bytes);
        String of = totalBytes == 0 ? done : done + " of " + io.dbsnap.api.storage.Sizes.human(totalBytes) + " ("
                + (bytes * 100 / totalBytes) + "%)";
        long millis = elapsed == null ? 0 : elapsed.toMillis();
        return millis <= 0 ? of : of + " at " + io.dbsnap.api.storage.Sizes.human(bytes * 1000 / millis) + "/s";
    }
}
