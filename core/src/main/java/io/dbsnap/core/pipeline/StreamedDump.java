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
 * transaction. The command is given exactly the manifest's raw size on stdin, but the last
 * {@link #HELD_BACK} bytes of it only once every stored byte matched the manifest's SHA-256 and sizes:
 * without its end the archive is incomplete, so the command cannot reach its COMMIT, and a mismatch
 * stops it there (the transaction rolls back, the target is as it was). Memory: the head a caller
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

    private final CheckedSource source;
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
        long total = rawSize();
        long released = Math.max(0, total - HELD_BACK);
        byte[] tail = new byte[(int) (total - released)];
        long at = 0;
        byte[] recorded = head.toByteArray();
        head.reset();
        at = emit(out, recorded, recorded.length, at, released, tail);
        byte[] buffer = new byte[SnapshotWriter.COPY_BUFFER];
        int n;
        while ((n = fromSource(buffer, 0, buffer.length)) >= 0) {
            at = emit(out, buffer, n, at, released, tail);
        }
        try {
            source.finish();
        } catch (DbsnapException e) {
            sourceFailure = e;
            throw e;
        }
        // every stored byte matched: now the command may see the end of the archive
        out.write(tail);
        out.flush();
    }

    /** Writes what lies before {@code released} and keeps the rest in {@code tail}; returns the new position. */
    private static long emit(OutputStream out, byte[] bytes, int length, long at, long released, byte[] tail)
            throws IOException {
        int free = (int) Math.max(0, Math.min(length, released - at));
        if (free > 0) {
            out.write(bytes, 0, free);
        }
        if (length > free) {
            // CheckedSource never hands out more than the raw size, so the rest fits the tail
            System.arraycopy(bytes, free, tail, (int) (at + free - released), length - free);
        }
        return at + length;
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
