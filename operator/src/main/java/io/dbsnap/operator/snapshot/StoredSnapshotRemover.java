package io.dbsnap.operator.snapshot;

import io.dbsnap.api.storage.SnapshotLocation;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.api.v1alpha1.common.S3Storage;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.catalog.SnapshotCatalog;
import io.dbsnap.core.store.ObjectStore;
import io.dbsnap.core.store.ObjectStores;
import io.dbsnap.core.store.S3Settings;
import io.dbsnap.operator.job.StoreBinding;

/** Deletes a DatabaseSnapshot's stored snapshot: its manifest first, so a half-deleted one is never listed. */
final class StoredSnapshotRemover {

    private StoredSnapshotRemover() {
    }

    /** @return the location removed */
    static String remove(DatabaseSnapshot snapshot, String accessKeyId, String secretAccessKey) {
        S3Storage s3 = snapshot.getSpec().getStorage().getS3();
        String storeUri = StoreBinding.s3Uri(s3);
        String location = snapshot.getStatus().getLocation();
        SnapshotLocation at;
        try {
            at = SnapshotLocation.parse(String.valueOf(location));
        } catch (IllegalArgumentException e) {
            throw new DbsnapException("status.location " + location + " is not one snapshot's folder: "
                    + e.getMessage() + "; nothing deleted");
        }
        // NAMESPACE/SOURCE/ID/ of this snapshot's namespace, in the spec's store: a status naming a parent
        // folder, or another namespace's snapshot in a shared bucket, must not delete other snapshots
        if (!at.storeUri().equals(storeUri)) {
            throw new DbsnapException("status.location " + location + " is not inside " + storeUri + "; nothing deleted");
        }
        if (!at.namespace().equals(snapshot.getMetadata().getNamespace())) {
            throw new DbsnapException("status.location " + location + " is a snapshot of namespace " + at.namespace()
                    + ", not " + snapshot.getMetadata().getNamespace() + "; nothing deleted");
        }
        String prefix = at.prefix();
        S3Settings settings = S3Settings.defaults().withCredentials(accessKeyId, secretAccessKey);
        if (s3.getEndpoint() != null) {
            settings = settings.withEndpoint(ObjectStores.endpoint(s3.getEndpoint())).withPathStyle(true);
        }
        if (s3.getRegion() != null) {
            settings = settings.withRegion(s3.getRegion());
        }
        if (s3.getForcePathStyle() != null) {
            settings = settings.withPathStyle(s3.getForcePathStyle());
        }
        try (ObjectStore store = ObjectStores.open(storeUri, settings)) {
            if (SnapshotCatalog.delete(store, prefix) > 0) {
                throw new DbsnapException("objects remain under " + location + " after deleting them");
            }
        }
        return location;
    }
}
