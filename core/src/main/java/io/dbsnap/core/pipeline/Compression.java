package io.dbsnap.core.pipeline;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.dbsnap.core.DbsnapException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** How a snapshot's data is compressed in the store; the name is what the manifest records. */
public enum Compression {

    ZSTD("zstd", ".zst", 1) {
        @Override
        public OutputStream compress(OutputStream out, int level, int workers) throws IOException {
            ZstdOutputStreamNoFinalizer zstd = new ZstdOutputStreamNoFinalizer(out, RecyclingBufferPool.INSTANCE);
            zstd.setLevel(level);
            // a frame checksum lets decompression itself notice corruption, on top of SHA-256
            zstd.setChecksum(true);
            if (workers > 0) {
                zstd.setWorkers(workers);
            }
            return zstd;
        }

        @Override
        public InputStream decompress(InputStream in) throws IOException {
            ZstdInputStreamNoFinalizer zstd = new ZstdInputStreamNoFinalizer(in, RecyclingBufferPool.INSTANCE);
            // a stream cut between frames must not look like a shorter valid one
            zstd.setContinuous(false);
            return zstd;
        }
    },
    GZIP("gzip", ".gz", 6) {
        @Override
        public OutputStream compress(OutputStream out, int level, int workers) throws IOException {
            return new GZIPOutputStream(out, 256 * 1024) {
                {
                    def.setLevel(level);
                }
            };
        }

        @Override
        public InputStream decompress(InputStream in) throws IOException {
            return new GZIPInputStream(in, 256 * 1024);
        }
    },
    NONE("none", "", 0) {
        @Override
        public OutputStream compress(OutputStream out, int level, int workers) {
            return out;
        }

        @Override
        public InputStream decompress(InputStream in) {
            return in;
        }
    };

    private final String id;
    private final String extension;
    private final int defaultLevel;

    Compression(String id, String extension, int defaultLevel) {
        this.id = id;
        this.extension = extension;
        this.defaultLevel = defaultLevel;
    }

    /** Wraps {@code out}; closing the result finishes the compressed stream and closes {@code out}. */
    public abstract OutputStream compress(OutputStream out, int level, int workers) throws IOException;

    public abstract InputStream decompress(InputStream in) throws IOException;

    public String id() {
        return id;
    }

    public String extension() {
        return extension;
    }

    public int defaultLevel() {
        return defaultLevel;
    }

    /** Whether {@code fileName} ends as a file compressed by one of these does (never for none, which adds nothing). */
    public static boolean namesCompressedFile(String fileName) {
        return Arrays.stream(values()).anyMatch(c -> !c.extension.isEmpty() && fileName.endsWith(c.extension)
                && fileName.length() > c.extension.length());
    }

    public static Compression parse(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(c -> c.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new DbsnapException("unknown compression '" + name + "': use zstd, gzip or none"));
    }
}
