package io.dbsnap.api.job;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;

/**
 * What a restore Job reports in its termination message: the snapshot it verified and restored (or,
 * for a dry run, the plan of what it would replace), or why it failed and whether the target was
 * touched by then.
 *
 * @param checksum      {@code sha256:...} of the stored object, as verified byte for byte
 * @param targetTouched on a failure, whether anything had been written to the target
 * @param nothingToKeep the target does not exist yet or holds nothing of its own: no pre-restore snapshot is needed
 * @param database      the target database (or file) as the agent resolved it: the one named, else the
 *                      snapshot's own, else the pod's default; null for a server-wide target
 * @param plan          a dry run's plan, one line per item, cut to fit the termination message
 * @param recipients    the age public keys of the identities the Job was given (at most 8), else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RestoreJobResult(boolean succeeded, String reason, String message, String snapshotId, String location,
                               String checksum, String engine, String engineVersion, String takenAt,
                               String targetVersion, Long restoredBytes, Long totalBytes, Boolean createdTarget,
                               Boolean targetTouched, Boolean nothingToKeep, String database, List<String> plan,
                               List<String> recipients)
        implements AgentResult {

    /** How much of a plan fits beside the other fields (a termination message holds 4096 bytes). */
    public static final int MAX_PLAN_BYTES = 1800;

    public static RestoreJobResult failure(String reason, String message) {
        return failure(reason, message, null);
    }

    public static RestoreJobResult failure(String reason, String message, Boolean targetTouched) {
        return new RestoreJobResult(false, reason, TerminationMessage.shortened(message), null, null, null, null, null,
                null, null, null, null, null, targetTouched, null, null, null, null);
    }

    @Override
    public RestoreJobResult withMessage(String message) {
        return new RestoreJobResult(succeeded, reason, message, snapshotId, location, checksum, engine, engineVersion,
                takenAt, targetVersion, restoredBytes, totalBytes, createdTarget, targetTouched, nothingToKeep, database, plan,
                recipients);
    }

    /** The plan's first lines, and how many more there were, within {@link #MAX_PLAN_BYTES} (UTF-8). */
    public static List<String> fitted(List<String> plan) {
        List<String> kept = new ArrayList<>();
        int bytes = 0;
        for (int i = 0; i < plan.size(); i++) {
            String line = plan.get(i);
            // counted as written: JSON escapes (a quote, a control character) and UTF-8 (up to four bytes)
            int size = encodedSize(line) + 1;
            if (bytes + size > MAX_PLAN_BYTES) {
                kept.add("... and " + (plan.size() - i) + " more");
                return kept;
            }
            kept.add(line);
            bytes += size;
        }
        return kept;
    }

    private static int encodedSize(String line) {
        try {
            return JSON.writeValueAsBytes(line).length;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    public static RestoreJobResult parse(String message) {
        return TerminationMessage.read(message, RestoreJobResult.class);
    }
}
