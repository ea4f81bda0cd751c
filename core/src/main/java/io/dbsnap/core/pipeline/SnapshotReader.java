package io.dbsnap.core.pipeline;

import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.catalog.SnapshotEntry;
import io.dbsnap.core.crypto.AgeIdentities;
import io.dbsnap.core.store.ObjectStore;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a snapshot back: store -> SHA-256 -> decrypt -> decompress -> sink. The hash and size of every stored
 * byte are checked against the manifest; a mismatch is a {@link ChecksumMismatchException}.
 */
public final class SnapshotReader {

    private final ObjectStore store;
    private final AgeIdentities identities;

    public SnapshotReader(ObjectStore store) {
        this(store, AgeIdentities.NONE);
    }

    /** A reader that decrypts encrypted snapshots with {@code identities}. */
    public SnapshotReader(ObjectStore store, AgeIdentities identities) {
        this.store = store;
        this.identities = identities;
    }

    /**
     * Re-reads the whole object and checks it; nothing is written anywhere. An encrypted snapshot read
     * without its key is checked by its stored bytes only: the result's raw size is then -1.
     */
    public StreamResult verify(SnapshotEntry entry, TransferListener listener) {
        try (CheckedSource source = new CheckedSource(store, entry, identities, true, listener)) {
            return drain(source, OutputStream.nullOutputStream(), entry);
        }
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

    /**
     * Opens the snapshot to be read as it arrives, for a target whose own transaction cannot commit
     * before the last bytes (see {@link StreamedDump}); the caller closes it.
     */
    public StreamedDump stream(SnapshotEntry entry, TransferListener listener) {
        return new StreamedDump(new CheckedSource(store, entry, identities, false, listener));
    }

    StreamResult read(SnapshotEntry entry, OutputStream sink, TransferListener listener) {
        try (CheckedSource source = new CheckedSource(store, entry, identities, false, listener)) {
            return drain(source, sink, entry);
        }
    }

    private StreamResult drain(CheckedSource source, OutputStream sink, SnapshotEntry entry) {
        try {
            byte[] buffer = new byte[SnapshotWriter.COPY_BUFFER];
            int n;
            while ((n = source.read(buffer, 0, buffer.length)) >= 0) {
                sink.write(buffer, 0, n);
            }
            return source.finish();
        } catch (IOException e) {
            throw new DbsnapException("cannot write what " + store.location(entry.dataKey()) + " holds: "
                    + e.getMessage(), e);
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
