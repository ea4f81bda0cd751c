package io.dbsnap.core.pipeline;

import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.api.manifest.ManifestCodec;
import io.dbsnap.api.manifest.ManifestFile;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.catalog.SnapshotEntry;
import io.dbsnap.core.store.ObjectStore;
import io.dbsnap.core.store.ObjectWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * Where downloads go first, named by the object's SHA-256 ({@code HEX.part}): a download that was cut
     * resumes from what arrived (a ranged GET) instead of starting over; null to copy straight across.
     */
    private Path downloads;

    /** Downloads through {@code dir} ({@link #downloads}), resuming a cut one. */
    public SnapshotCopier resumingIn(Path dir) {
        this.downloads = dir;
        return this;
    }

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
        Path partial = downloads == null ? null : download(entry, listener);
        try (InputStream in = partial != null ? Files.newInputStream(partial) : from.open(entry.dataKey());
             ObjectWriter writer = to.create(entry.dataKey())) {
            DigestingOutputStream out = new DigestingOutputStream(writer);
            byte[] buffer = new byte[SnapshotWriter.COPY_BUFFER];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                if (partial == null) {
                    listener.progressed(out.count());
                }
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
        if (partial != null) {
            deleteQuietly(partial);
        }
        listener.finished();
        publishOrWithdraw(entry);
        return true;
    }

    /**
     * The object, whole and verified, in the downloads folder: what an earlier, cut download left is
     * kept and the rest fetched from there on. A part that is longer than the object, or whose bytes turn
     * out not to be the object's, is thrown away and the next pull starts over.
     */
    private Path download(SnapshotEntry entry, TransferListener listener) {
        ManifestFile file = entry.manifest().dataFile();
        String source = from.location(entry.dataKey());
        Path partial = downloads.resolve(file.sha256() + ".part");
        try {
            Files.createDirectories(downloads);
            long have = Files.exists(partial) ? Files.size(partial) : 0;
            if (have > file.size()) {
                Files.delete(partial);
                have = 0;
            }
            DigestingOutputStream digest = new DigestingOutputStream(OutputStream.nullOutputStream());
            if (have > 0) {
                try (InputStream held = Files.newInputStream(partial)) {
                    held.transferTo(digest);
                }
                listener.progressed(have);
            }
            if (have < file.size()) {
                try (InputStream in = from.open(entry.dataKey(), have);
                     OutputStream out = Files.newOutputStream(partial, java.nio.file.StandardOpenOption.CREATE,
                             java.nio.file.StandardOpenOption.APPEND)) {
                    byte[] buffer = new byte[SnapshotWriter.COPY_BUFFER];
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        out.write(buffer, 0, n);
                        digest.write(buffer, 0, n);
                        have += n;
                        listener.progressed(have);
                    }
                } catch (IOException | RuntimeException e) {
                    throw new DbsnapException("the download of " + source + " stopped at " + have + " of " + file.size()
                            + " bytes (" + e.getMessage() + "); run the same command again to resume it", e);
                }
            }
            String sha = digest.sha256Hex();
            if (digest.count() != file.size() || !sha.equals(file.sha256())) {
                deleteQuietly(partial);
                throw new ChecksumMismatchException(source + " has " + digest.count() + " bytes with sha256 " + sha
                        + " but the manifest says " + file.size() + " bytes with sha256 " + file.sha256()
                        + "; nothing was copied");
            }
            return partial;
        } catch (IOException e) {
            throw new DbsnapException("cannot download " + source + " into " + downloads + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover part is found and checked by the next pull
        }
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
