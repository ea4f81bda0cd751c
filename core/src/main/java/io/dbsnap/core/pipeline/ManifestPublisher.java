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
}
