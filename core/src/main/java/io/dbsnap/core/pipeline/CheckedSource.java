package io.dbsnap.core.pipeline;

import io.dbsnap.api.manifest.ManifestFile;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.catalog.SnapshotEntry;
import io.dbsnap.core.store.ObjectStore;

import java.io.IOException;
import java.io.InputStream;

/**
 * A stored snapshot's dump as it is read: store -> SHA-256 -> decompress. {@link #read} hands out
 * decompressed bytes, never more than the manifest's raw size; {@link #finish} hashes what is left and
 * checks size, checksum and raw size against the manifest. Nothing read is trusted before it returns.
 */
final class CheckedSource implements AutoCloseable {

    private final ManifestFile file;
    private final Compression compression;
    private final String location;
    private final InputStream stored;
    private final DigestingInputStream digest;
    private final TransferListener listener;
    private InputStream decompressed;
    private IOException decodeFailure;
    private long raw;

    CheckedSource(ObjectStore store, SnapshotEntry entry, TransferListener listener) {
        this.file = entry.manifest().dataFile();
        this.compression = Compression.parse(entry.manifest().compression());
        this.location = store.location(entry.dataKey());
        this.listener = listener;
        StoredTransform transform = StoredTransform.forName(entry.manifest().encryption());
        listener.started("snapshot " + entry.id(), file.rawSize());
        this.stored = store.open(entry.dataKey());
        this.digest = new DigestingInputStream(stored);
        try {
            decompressed = compression.decompress(transform.fromStore(digest));
        } catch (IOException e) {
            decodeFailure = e;
        }
    }

    long rawSize() {
        return file.rawSize();
    }

    /**
     * Up to {@code len} decompressed bytes, or -1 at their end or once they cannot be decoded (which
     * {@link #finish} reports). More bytes than the manifest's raw size is a failure at once: a reader
     * told to expect that many must never be handed one more.
     */
    int read(byte[] buffer, int off, int len) {
        if (decompressed == null || decodeFailure != null) {
            return -1;
        }
        int n;
        try {
            n = decompressed.read(buffer, off, len);
        } catch (IOException e) {
            decodeFailure = e;
            return -1;
        }
        if (n < 0) {
            return -1;
        }
        if (raw + n > file.rawSize()) {
            throw new ChecksumMismatchException(location + " decompresses to more than the " + file.rawSize()
                    + " bytes the manifest says; the stored snapshot was not used");
        }
        raw += n;
        listener.progressed(raw);
        return n;
    }

    /** Reads what is left of the stored object and checks everything against the manifest. */
    StreamResult finish() {
        try {
            // hash what decompression did not need, so the checksum always covers the whole object
            digest.drain();
            if (decompressed != null) {
                decompressed.close();
            }
        } catch (IOException e) {
            throw new DbsnapException("cannot read " + location + ": " + e.getMessage(), e);
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
    }

    @Override
    public void close() {
        try {
            stored.close();
        } catch (IOException ignored) {
            // nothing of it is used any more
        }
    }
}
