package io.dbsnap.core.catalog;

import io.dbsnap.core.DbsnapException;

/** A snapshot's manifest cannot be trusted: not one, of an unknown format, or describing another folder. */
public final class UnreadableManifestException extends DbsnapException {

    public UnreadableManifestException(String message) {
        super(message);
    }
}
