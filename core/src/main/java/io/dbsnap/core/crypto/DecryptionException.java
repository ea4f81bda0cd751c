package io.dbsnap.core.crypto;

import io.dbsnap.core.DbsnapException;

/** An encrypted snapshot that cannot be decrypted with what was given; nothing was restored from it. */
public final class DecryptionException extends DbsnapException {


    public DecryptionException(String message) {
        super(message);
    }

    public DecryptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
