package io.dbsnap.core.pipeline;

import io.dbsnap.api.manifest.ManifestFile;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.catalog.SnapshotEntry;
import io.dbsnap.core.store.ObjectStore;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a snapshot back: store -> SHA-256 -> decompress -> sink. The hash and size of every stored
 * byte are checked against the manifest; a mismatch is a {@link ChecksumMismatchException}.
 */
public final class SnapshotReader {

    private final ObjectStore store;

    public SnapshotReader(ObjectStore store) {
        this.store = store;
    }

    /** Re-reads the whole object and checks it; nothing is written anywhere. */
    public StreamResult verify(SnapshotEntry entry, TransferListener listener) {
        return read(entry, OutputStream.nullOutputStream(), listener);
    }

    /**
     * Downloads, verifies and decompresses into a scratch file in {@code scratchDir}. Only a file
     * whose every byte matched the manifest is returned; the caller deletes it after use.
     */
    public Path fetchVerified(SnapshotEntry entry, Path scratchDir, TransferListener listener) {
        Path scratch;
        try {
            Files.createDirectories(scratchDir);
            scratch = Files.createTempFile(scratchDir, "dbsnap-" + entry.id() + "-", ".restore");
        } catch (IOException e) {
            throw new DbsnapException("cannot create a scratch file in " + scratchDir + ": " + e.getMessage(), e);
        }
        // a killed restore must not leave a database-sized file behind
        scratch.toFile().deleteOnExit();
        boolean verified = false;
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(scratch,
                    StandardOpenOption.TRUNCATE_EXISTING), 1 << 20)) {
                read(entry, out, listener);
            }
            verified = true;
        } catch (IOException e) {
            throw new DbsnapException("cannot write scratch file " + scratch + ": " + e.getMessage(), e);
        } finally {
            if (!verified) {
                deleteScratch(scratch);
            }
        }
        return scratch;
    }

    StreamResult read(SnapshotEntry entry, OutputStream sink, TransferListener listener) {
        ManifestFile file = entry.manifest().dataFile();
        Compression compression = Compression.parse(entry.manifest().compression());
        StoredTransform transform = StoredTransform.forName(entry.manifest().encryption());
        String location = store.location(entry.dataKey());
        listener.started("snapshot " + entry.id(), file.rawSize());
        try (InputStream stored = store.open(entry.dataKey())) {
            DigestingInputStream digest = new DigestingInputStream(stored);
            long raw = 0;
            IOException decodeFailure = null;
            InputStream decompressed = null;
            byte[] buffer = new byte[SnapshotWriter.COPY_BUFFER];
            try {
                decompressed = compression.decompress(transform.fromStore(digest));
            } catch (IOException e) {
                decodeFailure = e;
            }
            while (decompressed != null && decodeFailure == null) {
                int n;
                try {
                    n = decompressed.read(buffer);
                } catch (IOException e) {
                    decodeFailure = e;
                    break;
                }
                if (n < 0) {
                    break;
                }
                sink.write(buffer, 0, n);
                raw += n;
                listener.progressed(raw);
            }
            // hash what decompression did not need, so the checksum always covers the whole object
            digest.drain();
            if (decompressed != null) {
                decompressed.close();
            }
            String sha = digest.sha256Hex();
            if (digest.count() != file.size() || !sha.equals(file.sha256())) {
                throw new ChecksumMismatchException(location + " has " + digest.count() + " bytes with sha256 "
                        + sha + " but the manifest says " + file.size() + " bytes with sha256 " + file.sha256()
                        + "; the stored snapshot is damaged and was not used");
            }
            if (decodeFailure != null) {
                throw new DbsnapException("cannot decompress " + location + " (" + compression.id() + "): "
                        + decodeFailure.getMessage(), decodeFailure);
            }
            if (raw != file.rawSize()) {
                throw new ChecksumMismatchException(location + " decompresses to " + raw + " bytes but the manifest"
                        + " says " + file.rawSize() + "; the stored snapshot was not used");
            }
            listener.finished();
            return new StreamResult(digest.count(), raw, sha);
        } catch (IOException e) {
            throw new DbsnapException("cannot read " + location + ": " + e.getMessage(), e);
        }
    }

    /** Removes a scratch file; one that cannot be removed is left to the temp directory's cleaning. */
    static void deleteScratch(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a temp file in the scratch directory
        }
    }
}
