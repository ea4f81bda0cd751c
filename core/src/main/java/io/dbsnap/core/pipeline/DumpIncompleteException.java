package io.dbsnap.core.pipeline;

import io.dbsnap.core.DbsnapException;

/**
 * The dump that arrived is not the whole dump its tool wrote: fewer or other bytes than the source
 * counted, or an end the engine's format requires is missing. Nothing of it is ever stored.
 */
public final class DumpIncompleteException extends DbsnapException {

    public DumpIncompleteException(String message) {
        super(message);
    }
}
