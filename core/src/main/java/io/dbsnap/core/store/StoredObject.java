package io.dbsnap.core.store;

/** An object as listed by a store. */
public record StoredObject(String key, long size) {
}
