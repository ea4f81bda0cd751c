package io.dbsnap.api.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;

/**
 * What a snapshot Job reports in its termination message: where the snapshot went and its checksum,
 * or why it failed. Kubernetes keeps at most 4096 bytes of it, so {@link #toJson()} stays below that.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SnapshotJobResult(boolean succeeded, String reason, String message, String snapshotId,
                                String location, Long size, Long rawSize, String checksum, String engine,
                                String engineVersion, String source) {

    /** Kubernetes truncates termination messages at 4096 bytes; a cut JSON could not be read at all. */
    public static final int MAX_BYTES = 4096;
    private static final int MAX_MESSAGE_CHARS = 1500;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public static SnapshotJobResult success(String snapshotId, String location, long size, long rawSize,
                                            String checksum, String engine, String engineVersion, String source) {
        return new SnapshotJobResult(true, null, null, snapshotId, location, size, rawSize, checksum, engine,
                engineVersion, source);
    }

    /** A success with something the user should know about it (e.g. how the copy was made). */
    public SnapshotJobResult withMessage(String caveat) {
        return new SnapshotJobResult(succeeded, reason, caveat, snapshotId, location, size, rawSize, checksum, engine,
                engineVersion, source);
    }

    public static SnapshotJobResult failure(String reason, String message) {
        String shortened = message.length() <= MAX_MESSAGE_CHARS ? message
                : message.substring(0, MAX_MESSAGE_CHARS) + " [...]";
        return new SnapshotJobResult(false, reason, shortened, null, null, null, null, null, null, null, null);
    }

    public String toJson() {
        try {
            String json = JSON.writeValueAsString(this);
            if (json.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
                return json;
            }
            if (message == null || message.length() < 16) {
                throw new IllegalStateException("termination message longer than " + MAX_BYTES + " bytes");
            }
            // many multi-byte or escaped characters: shorter until it fits, the reason kept whole
            return new SnapshotJobResult(succeeded, reason, message.substring(0, message.length() / 2) + " [...]",
                    snapshotId, location, size, rawSize, checksum, engine, engineVersion, source).toJson();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a termination message; anything that is not a complete result is {@code null}. */
    public static SnapshotJobResult parse(String message) {
        if (message == null || message.isBlank()) {
            return null;
        }
        try {
            return JSON.readValue(message.strip(), SnapshotJobResult.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
