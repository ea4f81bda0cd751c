package io.dbsnap.core.pipeline;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/**
 * Counts and hashes (SHA-256) exactly the bytes that reach the store. {@link #close()} only
 * flushes: committing or aborting the object underneath is the pipeline's decision.
 */
final class DigestingOutputStream extends FilterOutputStream {

    private final MessageDigest sha256 = Sha256.newDigest();
    private long count;

    DigestingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        sha256.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        sha256.update(b, off, len);
        count += len;
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }

    long count() {
        return count;
    }

    String sha256Hex() {
        return Sha256.hex(sha256.digest());
    }
}
