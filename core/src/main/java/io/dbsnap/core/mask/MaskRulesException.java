package io.dbsnap.core.mask;

import io.dbsnap.core.DbsnapException;

/** The masking rules are wrong, or do not fit the snapshot: refused before the target is touched. */
public final class MaskRulesException extends DbsnapException {

    public MaskRulesException(String message) {
        super(message);
    }
}
