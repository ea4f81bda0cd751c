package io.dbsnap.operator.restore;

import io.dbsnap.api.v1alpha1.common.SnapshotSource;
import io.dbsnap.api.v1alpha1.common.SnapshotStorage;

/**
 * The snapshot a restore's source names, resolved to where it lies: its store, its folder there,
 * the checksum it must have (when known before reading it), and, for a DatabaseSnapshot, the
 * source it was taken from (the default target).
 *
 * @param display    for people and status.source: {@code NAMESPACE/NAME}, or the location
 * @param path       {@code NAMESPACE/SOURCE/ID/} under the store's prefix
 * @param sha256     {@code sha256:HEX} or bare hex, else null
 * @param takenFrom  the snapshot's own source, else null (a location names none)
 * @param engine     the snapshot's engine when its status says, else null
 * @param beingDeleted whether the DatabaseSnapshot is being deleted (its data stays while a restore reads it)
 */
public record ResolvedSource(String display, SnapshotStorage storage, String path, String sha256,
                             SnapshotSource takenFrom, String engine, boolean beingDeleted) {

    /** Pinned to the checksum a first Job verified, so the restore writes exactly the object that was checked. */
    public ResolvedSource pinnedTo(String verifiedSha256) {
        return sha256 != null || verifiedSha256 == null ? this
                : new ResolvedSource(display, storage, path, verifiedSha256, takenFrom, engine, beingDeleted);
    }
}
