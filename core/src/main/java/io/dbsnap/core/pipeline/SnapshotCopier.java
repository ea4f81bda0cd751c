package io.dbsnap.core.pipeline;

import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.api.manifest.ManifestCodec;
import io.dbsnap.api.manifest.ManifestFile;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.catalog.SnapshotEntry;
import io.dbsnap.core.store.ObjectStore;
import io.dbsnap.core.store.ObjectWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies one snapshot between stores (a cluster's bucket to a laptop's folder) as it is stored,
 * still compressed. The copy is committed only when its size and SHA-256 match the manifest, and
 * its manifest is written last, as when it was taken.
 */
public final class SnapshotCopier {

    private final ObjectStore from;
    private final ObjectStore to;

    public SnapshotCopier(ObjectStore from, ObjectStore to) {
        this.from = from;
        this.to = to;
    }

    /** Copies the snapshot unless the target already holds it; returns whether it copied. */
    public boolean copy(SnapshotEntry entry, TransferListener listener) {
        if (!to.list(entry.manifestKey()).isEmpty()) {
            // a snapshot of the same id from elsewhere (another cluster, the same second) is not this one
            Manifest held;
            try {
                held = ManifestCodec.fromJson(to.get(entry.manifestKey()));
            } catch (ManifestCodec.InvalidManifestException e) {
                throw new DbsnapException(to.location(entry.manifestKey()) + " cannot be read: " + e.getMessage()
                        + "; nothing was copied", e);
            }
            if (!held.dataFile().sha256().equals(entry.manifest().dataFile().sha256())) {
                throw new ChecksumMismatchException(to.location(entry.prefix()) + " already holds a different snapshot "
                        + "of the same id (sha256 " + held.dataFile().sha256() + ", this one "
                        + entry.manifest().dataFile().sha256() + "); nothing was copied: pull into another --store");
            }
            return false;
        }
        ManifestFile file = entry.manifest().dataFile();
        String source = from.location(entry.dataKey());
        if (to.list(entry.dataKey()).stream().anyMatch(o -> o.key().equals(entry.dataKey()))) {
            // an earlier copy stopped between its data and its manifest: finished if the data is this snapshot's
            String held = sha256Of(to, entry.dataKey());
            if (!held.equals(file.sha256())) {
                throw new ChecksumMismatchException(to.location(entry.dataKey()) + " is an unfinished copy of "
                        + "other data (no manifest, sha256 " + held + "); nothing was copied: remove "
                        + to.location(entry.prefix()) + " or run dbsnap prune --incomplete-older-than 0s");
            }
            publishOrWithdraw(entry);
            return true;
        }
        listener.started("snapshot " + entry.id(), file.size());
        try (InputStream in = from.open(entry.dataKey()); ObjectWriter writer = to.create(entry.dataKey())) {
            DigestingOutputStream out = new DigestingOutputStream(writer);
            byte[] buffer = new byte[SnapshotWriter.COPY_BUFFER];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                listener.progressed(out.count());
            }
            out.flush();
            String sha = out.sha256Hex();
            if (out.count() != file.size() || !sha.equals(file.sha256())) {
                throw new ChecksumMismatchException(source + " has " + out.count() + " bytes with sha256 " + sha
                        + " but the manifest says " + file.size() + " bytes with sha256 " + file.sha256()
                        + "; nothing was copied");
            }
            writer.commit();
        } catch (IOException e) {
            throw new DbsnapException("cannot copy " + source + " to " + to.location(entry.dataKey()) + ": "
                    + e.getMessage(), e);
        }
        listener.finished();
        publishOrWithdraw(entry);
        return true;
    }

    private void publishOrWithdraw(SnapshotEntry entry) {
        byte[] manifest = ManifestCodec.toJson(entry.manifest());
        try {
            ManifestPublisher.publish(to, entry.manifestKey(), manifest);
        } catch (RuntimeException e) {
            // without its manifest the copy is never listed; remove it rather than leave it behind
            if (ManifestPublisher.withdraw(to, entry.manifestKey(), manifest, e)) {
                try {
                    to.delete(entry.dataKey());
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
    }

    private static String sha256Of(ObjectStore store, String key) {
        try (InputStream in = store.open(key)) {
            DigestingOutputStream digest = new DigestingOutputStream(OutputStream.nullOutputStream());
            in.transferTo(digest);
            return digest.sha256Hex();
        } catch (IOException e) {
            throw new DbsnapException("cannot read " + store.location(key) + ": " + e.getMessage(), e);
        }
    }
}
