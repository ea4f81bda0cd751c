package io.dbsnap.core.store;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;

/**
 * Where snapshots live: S3-compatible storage or a local directory, both with the same layout.
 * Keys are relative to the store's root ({@code s3://bucket/prefix} or {@code file://DIR}).
 */
public interface ObjectStore extends AutoCloseable {

    /** The store's root as a URI, e.g. {@code s3://snaps/prod}. */
    String uri();

    /** The full URI of a key, e.g. {@code s3://snaps/prod/local/db/20261121-...-x/}. */
    default String location(String key) {
        return uri().replaceAll("/+$", "") + "/" + key;
    }

    /** Fails with a clear message when the store cannot be used (missing bucket, bad credentials). */
    void checkAccess();

    /** Starts writing an object; nothing is visible under {@code key} until {@link ObjectWriter#commit()}. */
    ObjectWriter create(String key);

    /** Writes a small object whole and atomically (manifests). */
    void put(String key, byte[] content);

    /** Reads a small object whole (manifests). */
    byte[] get(String key);

    /** Streams an object. */
    InputStream open(String key);

    /** Streams an object from byte {@code offset} on (a ranged GET on S3): to resume a download that was cut. */
    default InputStream open(String key, long offset) {
        InputStream in = open(key);
        try {
            in.skipNBytes(offset);
        } catch (java.io.IOException e) {
            throw new io.dbsnap.core.DbsnapException("cannot read " + location(key) + " from byte " + offset + ": "
                    + e.getMessage(), e);
        }
        return in;
    }

    /** Every object whose key starts with {@code prefix}, in no particular order. */
    List<StoredObject> list(String prefix);

    void delete(String key);

    /**
     * Whether this store marks every object dbsnap writes ({@link #markedAsOurs}), so that an unmarked object
     * is known to be someone else's. A file store keeps no marks.
     */
    default boolean marksWrites() {
        return false;
    }

    /** Whether the object at {@code key} bears the mark of a dbsnap write; always false where {@link #marksWrites} is false. */
    default boolean markedAsOurs(String key) {
        return false;
    }

    /** Writes that began before {@code before} and were never finished or discarded. */
    List<IncompleteWrite> incompleteWrites(Instant before);

    /** Discards an incomplete write (aborts the upload, removes the partial file). */
    void discard(IncompleteWrite write);

    @Override
    void close();
}
