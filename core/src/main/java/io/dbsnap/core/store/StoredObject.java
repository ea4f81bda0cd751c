package io.dbsnap.core.store;

import java.time.Instant;

/** An object as listed by a store, with the time it was last written. */
public record StoredObject(String key, long size, Instant modified) {
}
