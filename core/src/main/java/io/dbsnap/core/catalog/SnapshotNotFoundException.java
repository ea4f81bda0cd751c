package io.dbsnap.core.catalog;

import io.dbsnap.core.DbsnapException;

/** No snapshot lies where one was named: no manifest in that folder of the store. */
public final class SnapshotNotFoundException extends DbsnapException {

    public SnapshotNotFoundException(String message) {
        super(message);
    }
}
