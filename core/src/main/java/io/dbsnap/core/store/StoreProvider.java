package io.dbsnap.core.store;

/**
 * One kind of store, registered by its URI scheme in {@link ObjectStores}: it parses what follows
 * {@code scheme://} and reads its own settings. A GCS or Azure store is one more provider (and its
 * settings type), registered beside these; no command or reconciler changes.
 */
public interface StoreProvider {

    /** The URI scheme, e.g. {@code s3}. */
    String scheme();

    /** What a user writes, for messages: {@code s3://BUCKET/PREFIX}. */
    String form();

    /** Opens the store at {@code location} (the URI without {@code scheme://}); fails saying what is wrong with it. */
    ObjectStore open(String uri, String location, StoreSettings settings);
}
