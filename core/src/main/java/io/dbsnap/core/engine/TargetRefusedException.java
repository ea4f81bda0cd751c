package io.dbsnap.core.engine;

import io.dbsnap.core.DbsnapException;

/** The target cannot take this snapshot, and was refused before anything in it was changed. */
public final class TargetRefusedException extends DbsnapException {

    public TargetRefusedException(String message) {
        super(message);
    }
}
