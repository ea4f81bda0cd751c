package io.dbsnap.core.testing;

import io.dbsnap.core.store.IncompleteWrite;
import io.dbsnap.core.store.ObjectStore;
import io.dbsnap.core.store.ObjectWriter;
import io.dbsnap.core.store.StoredObject;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;

/** A store that passes every call on: tests override the one call they make go wrong. Closing it leaves the store open. */
public abstract class ForwardingStore implements ObjectStore {

    protected final ObjectStore store;

    protected ForwardingStore(ObjectStore store) {
        this.store = store;
    }

    @Override
    public String uri() {
        return store.uri();
    }

    @Override
    public void checkAccess() {
        store.checkAccess();
    }

    @Override
    public ObjectWriter create(String key) {
        return store.create(key);
    }

    @Override
    public void put(String key, byte[] content) {
        store.put(key, content);
    }

    @Override
    public byte[] get(String key) {
        return store.get(key);
    }

    @Override
    public InputStream open(String key, long offset) {
        return store.open(key, offset);
    }

    @Override
    public InputStream open(String key) {
        return store.open(key);
    }

    @Override
    public List<StoredObject> list(String prefix) {
        return store.list(prefix);
    }

    @Override
    public void delete(String key) {
        store.delete(key);
    }

    @Override
    public boolean marksWrites() {
        return store.marksWrites();
    }

    @Override
    public boolean markedAsOurs(String key) {
        return store.markedAsOurs(key);
    }

    @Override
    public List<IncompleteWrite> incompleteWrites(Instant before) {
        return store.incompleteWrites(before);
    }

    @Override
    public void discard(IncompleteWrite write) {
        store.discard(write);
    }

    @Override
    public void close() {
    }
}
