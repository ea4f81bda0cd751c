package io.dbsnap.core.pipeline;

import io.dbsnap.api.manifest.ManifestFile;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.catalog.SnapshotEntry;
import io.dbsnap.core.crypto.AgeIdentities;
import io.dbsnap.core.crypto.DecryptionException;
import io.dbsnap.core.store.ObjectStore;

import java.io.IOException;
import java.io.InputStream;

/**
 * A stored snapshot's dump as it is read: store -> SHA-256 -> decrypt -> decompress. {@link #read} hands out
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
    private final boolean undecoded;
    private final StoredTransform transform;
    private InputStream decompressed;
    private IOException decodeFailure;
    private long raw;

    /**
     * {@code storedOnly}: an encrypted snapshot without a key to read it is checked by its stored bytes
     * alone (size and SHA-256), not decoded; otherwise it fails here, before a byte is handed out.
     */
    CheckedSource(ObjectStore store, SnapshotEntry entry, AgeIdentities identities, boolean storedOnly,
                  TransferListener listener) {
        this.file = entry.manifest().dataFile();
        this.compression = Compression.parse(entry.manifest().compression());
        this.location = store.location(entry.dataKey());
        this.listener = listener;
        this.transform = StoredTransform.forReading(entry.manifest(), identities);
        // without a key only the stored bytes can be checked; with one that does not fit, that is a failure
        this.undecoded = storedOnly && identities.isEmpty() && !transform.canRead();
        if (!transform.canRead() && !undecoded) {
            transform.requireReadable();
        }
        listener.started("snapshot " + entry.id(), undecoded ? file.size() : file.rawSize());
        this.stored = store.open(entry.dataKey());
        this.digest = new DigestingInputStream(stored);
        if (undecoded) {
            return;
        }
        try {
            decompressed = compression.decompress(transform.fromStore(digest));
        } catch (IOException e) {
            decodeFailure = e;
        } catch (DecryptionException e) {
            // a damaged header reads like a wrong key: the checksum tells which it is
            refuseDamaged();
            throw e;
        } catch (RuntimeException e) {
            // a header the decrypter cannot even parse: damaged (the checksum says so) or not age at all
            refuseDamaged();
            throw new DecryptionException("cannot read the " + transform.id() + " header of " + location + ": "
                    + e.getMessage() + "; the stored snapshot was not used", e);
        }
    }

    private void refuseDamaged() {
        try {
            digest.drain();
        } catch (IOException e) {
            close();
            throw new DbsnapException("cannot read " + location + ": " + e.getMessage(), e);
        }
        close();
        String sha = digest.sha256Hex();
        if (digest.count() != file.size() || !sha.equals(file.sha256())) {
            throw mismatch(sha);
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
        if (undecoded) {
            return readStored(buffer, off, len);
        }
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

    private int readStored(byte[] buffer, int off, int len) {
        try {
            int n = digest.read(buffer, off, len);
            if (n > 0) {
                listener.progressed(digest.count());
            }
            return n;
        } catch (IOException e) {
            throw new DbsnapException("cannot read " + location + ": " + e.getMessage(), e);
        }
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
            throw mismatch(sha);
        }
        if (undecoded) {
            listener.finished();
            return new StreamResult(digest.count(), -1, sha);
        }
        if (decodeFailure != null) {
            transform.explain(decodeFailure).ifPresent(why -> {
                throw new DecryptionException(location + ": " + why + "; the stored snapshot was not used",
                        decodeFailure);
            });
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

    /** {@code sha}: the stored bytes' hash, taken once (taking it resets the digest). */
    private ChecksumMismatchException mismatch(String sha) {
        return new ChecksumMismatchException(location + " has " + digest.count() + " bytes with sha256 "
                + sha + " but the manifest says " + file.size() + " bytes with sha256 " + file.sha256()
                + "; the stored snapshot is damaged and was not used");
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
