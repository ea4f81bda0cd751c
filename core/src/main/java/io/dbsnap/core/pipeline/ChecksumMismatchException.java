package io.dbsnap.core.pipeline;

import io.dbsnap.core.DbsnapException;

/** The stored bytes are not the bytes the manifest describes; nothing may be restored from them. */
public final class ChecksumMismatchException extends DbsnapException {

    /** The reason name shared with resource status. */
    public static final String REASON = "ChecksumMismatch";

    public ChecksumMismatchException(String message) {
        super(REASON + ": " + message);
    }
}
