package io.dbsnap.core.pipeline;

import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.process.ProcessRunner;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * A snapshot's dump fed to a restoring command while it downloads, for a target that restores in one
 * transaction. The command is given at most the manifest's raw size on stdin, and the last
 * {@link #HELD_BACK} bytes of what arrived only once every stored byte matched the manifest's SHA-256
 * and sizes: without its end the archive is incomplete, so the command cannot reach its COMMIT, and a
 * mismatch stops it there (the transaction rolls back, the target is as it was). Memory: the head a caller
 * reads ({@link #readHead}, e.g. a table of contents) and the held-back end.
 */
public final class StreamedDump implements AutoCloseable {

    /** More than the end of the last data block (a few bytes) that a restore must read before it can commit. */
    public static final int HELD_BACK = 1 << 20;

    /** Reads the first part of a dump, e.g. its table of contents. */
    @FunctionalInterface
    public interface HeadReader<T> {
        T read(InputStream head) throws IOException;
    }

    /**
     * Knows where the archive pg_dump wrote ends, as its bytes stream by: a restore commits once it has
     * read that far, so bytes after it (another archive padded to the promised size) must be refused.
     */
    public interface ArchiveEnd {
        /** How many of {@code len} bytes belong to the archive; fewer means it ended (or broke) inside them. */
        int accept(byte[] bytes, int off, int len);

        /** What was wrong when {@link #accept} took fewer bytes than given. */
        String damage();
    }

    private final CheckedSource source;
    private ArchiveEnd archiveEnd;
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private volatile DbsnapException sourceFailure;
    private boolean fed;

    StreamedDump(CheckedSource source) {
        this.source = source;
    }

    public long rawSize() {
        return source.rawSize();
    }

    /**
     * Lets {@code reader} read the dump's head (unverified: it must only inform, e.g. which tables a
     * restored target must hold); every byte it consumed is still fed to the command, in order.
     */
    public <T> T readHead(HeadReader<T> reader) {
        if (fed || head.size() > 0) {
            throw new IllegalStateException("the head is read once, before the dump is fed");
        }
        InputStream recording = new InputStream() {
            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = fromSource(b, off, len);
                if (n > 0) {
                    head.write(b, off, n);
                }
                return n;
            }
        };
        try {
            return reader.read(recording);
        } catch (IOException | DbsnapException e) {
            if (sourceFailure != null) {
                throw sourceFailure;
            }
            // nothing was fed yet; a damaged object is the likelier reason, and the better one to give
            byte[] rest = new byte[SnapshotWriter.COPY_BUFFER];
            while (fromSource(rest, 0, rest.length) >= 0) {
                // verified below
            }
            try {
                source.finish();
            } catch (DbsnapException damaged) {
                sourceFailure = damaged;
                throw damaged;
            }
            sourceFailure = e instanceof DbsnapException d ? d
                    : new DbsnapException("cannot read the head of the dump: " + e.getMessage(), e);
            throw sourceFailure;
        }
    }

    /** Refuses every byte after the archive's own end, before it is fed (see {@link ArchiveEnd}). */
    public void endsWhere(ArchiveEnd end) {
        if (fed) {
            throw new IllegalStateException("the end is known before the dump is fed");
        }
        this.archiveEnd = end;
    }

    /**
     * The dump as a command's stdin, of {@link #rawSize()} bytes. A failure of the snapshot itself
     * (download, checksum, decompression) is thrown as that failure, and kept in {@link #sourceFailure};
     * one writing to the command is an {@link IOException}.
     */
    public ProcessRunner.Stdin stdin() {
        return ProcessRunner.Stdin.sized(rawSize(), this::feed);
    }

    /** What went wrong with the snapshot while it was fed, if anything: then the command was stopped before the end. */
    public Optional<DbsnapException> sourceFailure() {
        return Optional.ofNullable(sourceFailure);
    }

    private void feed(OutputStream out) throws IOException {
        if (fed) {
            throw new IllegalStateException("a dump is fed once");
        }
        fed = true;
        TrailingHold hold = new TrailingHold(out, HELD_BACK);
        try {
            byte[] recorded = head.toByteArray();
            head.reset();
            hold.write(checkedEnd(recorded, recorded.length), 0, recorded.length);
            byte[] buffer = new byte[SnapshotWriter.COPY_BUFFER];
            int n;
            while ((n = fromSource(buffer, 0, buffer.length)) >= 0) {
                hold.write(checkedEnd(buffer, n), 0, n);
            }
        } catch (IOException stopped) {
            // the command stopped reading (it failed): a damaged snapshot is the likelier reason, and the better one
            drainAndFinish();
            throw stopped;
        }
        try {
            source.finish();
        } catch (DbsnapException e) {
            sourceFailure = e;
            throw e;
        }
        // every stored byte matched: now the command may see the end of the archive
        hold.release();
    }

    /** The bytes, once the archive's end tracker found them all inside the archive; else the source failed. */
    private byte[] checkedEnd(byte[] bytes, int length) {
        if (archiveEnd != null && archiveEnd.accept(bytes, 0, length) < length) {
            sourceFailure = new ChecksumMismatchException(archiveEnd.damage() + ": it is not the archive pg_dump "
                    + "wrote, and was not used");
            throw sourceFailure;
        }
        return bytes;
    }

    /** Reads and checks the rest of the snapshot; a failure is the source's, and what is thrown. */
    private void drainAndFinish() {
        try {
            byte[] rest = new byte[SnapshotWriter.COPY_BUFFER];
            while (fromSource(rest, 0, rest.length) >= 0) {
                // checked by finish
            }
            source.finish();
        } catch (DbsnapException damaged) {
            sourceFailure = damaged;
            throw damaged;
        }
    }

    /**
     * Passes bytes on but always keeps the last {@code capacity} of them, whatever the stream's length
     * turns out to be: a shorter archive than the manifest promised (another snapshot's) is held back
     * at its own end, not at the promised one.
     */
    private static final class TrailingHold {
        private final OutputStream out;
        private final byte[] ring;
        private int start;
        private int size;

        TrailingHold(OutputStream out, int capacity) {
            this.out = out;
            this.ring = new byte[capacity];
        }

        void write(byte[] bytes, int off, int len) throws IOException {
            int excess = size + len - ring.length;
            if (excess > 0) {
                // the oldest bytes leave the window: first those held, then the new ones that do not fit
                int fromRing = Math.min(excess, size);
                writeOldest(fromRing);
                int fromInput = excess - fromRing;
                if (fromInput > 0) {
                    out.write(bytes, off, fromInput);
                    off += fromInput;
                    len -= fromInput;
                }
            }
            int end = (start + size) % ring.length;
            int first = Math.min(len, ring.length - end);
            System.arraycopy(bytes, off, ring, end, first);
            System.arraycopy(bytes, off + first, ring, 0, len - first);
            size += len;
        }

        void release() throws IOException {
            writeOldest(size);
            out.flush();
        }

        private void writeOldest(int count) throws IOException {
            int first = Math.min(count, ring.length - start);
            out.write(ring, start, first);
            if (count > first) {
                out.write(ring, 0, count - first);
            }
            start = (start + count) % ring.length;
            size -= count;
        }
    }

    private int fromSource(byte[] b, int off, int len) {
        try {
            return source.read(b, off, len);
        } catch (DbsnapException e) {
            sourceFailure = e;
            throw e;
        }
    }

    @Override
    public void close() {
        source.close();
    }
}
