package io.dbsnap.core.store;

import java.time.Instant;

/**
 * What a run that was killed outright (SIGKILL, lost node) left behind: an S3 multipart upload never
 * completed or aborted, or a hidden partial file. Never a snapshot; only space to reclaim. {@code key}
 * is the key it was writing; {@code handle} what the store finds it by (an upload id, the partial file's key).
 */
public record IncompleteWrite(String key, String handle, Instant started) {
}
