package io.dbsnap.core.pipeline;

import io.dbsnap.core.store.ObjectExistsException;
import io.dbsnap.core.store.ObjectStore;

import java.util.Arrays;

/**
 * Writes the manifest, the write that makes a snapshot exist. Stores never replace an object, so a
 * manifest found in place is either this one (its write landed while the answer was lost, and a
 * retry found it) or another run's; the first counts as written, the second is left alone and fails
 * the write with {@link ObjectExistsException}.
 */
final class ManifestPublisher {

    private ManifestPublisher() {
    }

    static void publish(ObjectStore store, String key, byte[] manifest) {
        try {
            store.put(key, manifest);
        } catch (ObjectExistsException e) {
            byte[] there;
            try {
                there = store.get(key);
            } catch (RuntimeException unreadable) {
                e.addSuppressed(unreadable);
                throw e;
            }
            if (!Arrays.equals(there, manifest)) {
                throw e;
            }
        }
    }

    /**
     * After a failed {@link #publish}: removes the manifest if it is this one (a write that landed);
     * another run's is left alone. Returns whether no manifest of this run is left, so what it lists
     * may go; false when that cannot be known (the store did not answer).
     */
    static boolean withdraw(ObjectStore store, String key, byte[] manifest, Exception cause) {
        try {
            if (store.list(key).stream().noneMatch(o -> o.key().equals(key))) {
                return true;
            }
            if (!Arrays.equals(store.get(key), manifest)) {
                return true;
            }
            store.delete(key);
            return true;
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            return false;
        }
    }
}
