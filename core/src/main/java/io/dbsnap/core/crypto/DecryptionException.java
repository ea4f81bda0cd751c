package io.dbsnap.core.crypto;

import io.dbsnap.core.DbsnapException;

/** An encrypted snapshot that cannot be decrypted with what was given; nothing was restored from it. */
public final class DecryptionException extends DbsnapException {

    /** The reason name shared with resource status. */
    public static final String REASON = "DecryptionFailed";

    public DecryptionException(String message) {
        super(message);
    }

    public DecryptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
