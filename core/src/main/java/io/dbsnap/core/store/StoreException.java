package io.dbsnap.core.store;

import io.dbsnap.core.DbsnapException;

/** The store refused or failed an operation; the message names the store and what to check. */
public class StoreException extends DbsnapException {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
