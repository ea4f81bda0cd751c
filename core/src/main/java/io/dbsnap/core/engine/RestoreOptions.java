package io.dbsnap.core.engine;

/**
 * How to restore. {@code noOwner} skips restoring object ownership and privileges, for restoring
 * into a database whose roles differ (a laptop); {@code jobs} above 1 restores in parallel from the
 * local scratch file, which is faster but not atomic.
 */
public record RestoreOptions(boolean noOwner, int jobs) {

    public RestoreOptions {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1");
        }
    }
}
