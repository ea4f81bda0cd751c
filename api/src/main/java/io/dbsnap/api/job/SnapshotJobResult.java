package io.dbsnap.api.job;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a snapshot Job reports in its termination message ({@link TerminationMessage}): where the
 * snapshot went and its checksum, or why it failed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SnapshotJobResult(boolean succeeded, String reason, String message, String snapshotId,
                                String location, Long size, Long rawSize, String checksum, String engine,
                                String engineVersion, String source) implements AgentResult {

    public static SnapshotJobResult success(String snapshotId, String location, long size, long rawSize,
                                            String checksum, String engine, String engineVersion, String source) {
        return new SnapshotJobResult(true, null, null, snapshotId, location, size, rawSize, checksum, engine,
                engineVersion, source);
    }

    /** The same result with another message: a caveat of a success (how the copy was made), or a shorter one. */
    @Override
    public SnapshotJobResult withMessage(String message) {
        return new SnapshotJobResult(succeeded, reason, message, snapshotId, location, size, rawSize, checksum, engine,
                engineVersion, source);
    }

    public static SnapshotJobResult failure(String reason, String message) {
        return new SnapshotJobResult(false, reason, TerminationMessage.shortened(message), null, null, null, null, null,
                null, null, null);
    }

    public String toJson() {
        return TerminationMessage.write(this);
    }

    /** Reads a termination message; anything that is not a complete result is {@code null}. */
    public static SnapshotJobResult parse(String message) {
        return TerminationMessage.read(message, SnapshotJobResult.class);
    }
}
