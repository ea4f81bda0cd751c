package io.dbsnap.core.store;

/**
 * A write found its key taken. Stores never replace an object (S3 writes carry
 * {@code If-None-Match: *}; files are published with a hard link), so two runs that chose the same
 * snapshot id cannot overwrite each other: the second one fails with this.
 */
public final class ObjectExistsException extends StoreException {

    public ObjectExistsException(String message, Throwable cause) {
        super(message, cause);
    }
}
