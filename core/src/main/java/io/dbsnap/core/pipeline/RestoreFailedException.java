package io.dbsnap.core.pipeline;

import io.dbsnap.core.DbsnapException;

/**
 * A restore failed after it began to change the target (whatever was verified or refused before
 * fails with its own exception): the target may hold part of the snapshot, unless its engine
 * restores in one transaction.
 */
public final class RestoreFailedException extends DbsnapException {

    public RestoreFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
