package io.dbsnap.core.pipeline;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * The pipeline alone, without a database or a store: count -> zstd -> SHA-256 over a fixed
 * synthetic dump (uuids, hex tokens, json, timestamps, short text: zstd compresses it about 2.7x),
 * at zstd levels 1, 3 and 6 with 0 (inline), 1 and 2 worker threads. A plain harness, run by
 * {@code make bench}; it measures and asserts nothing.
 */
public final class PipelineBenchmark {

    private static final String[] WORDS = ("order shipped delayed refund customer payment invoice warehouse parcel "
            + "returned priority express standard gift note address changed confirmed cancelled pending").split(" ");

    public static void main(String[] args) throws IOException {
        int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        byte[] dump = syntheticDump(megabytes << 20);
        System.out.printf(Locale.ROOT, "| zstd level | workers | MB/s (median of %d) | ratio |%n", rounds);
        System.out.println("|---|---|---|---|");
        for (int level : new int[]{1, 3, 6}) {
            for (int workers : new int[]{0, 1, 2}) {
                run(dump, level, workers); // warm-up
                double[] rates = new double[rounds];
                long stored = 0;
                for (int i = 0; i < rounds; i++) {
                    long start = System.nanoTime();
                    stored = run(dump, level, workers);
                    rates[i] = dump.length / 1e6 / ((System.nanoTime() - start) / 1e9);
                }
                java.util.Arrays.sort(rates);
                System.out.printf(Locale.ROOT, "| %d | %d | %.0f | %.2f |%n", level, workers, rates[rounds / 2],
                        (double) dump.length / stored);
            }
        }
    }

    /** The pipeline as {@link SnapshotWriter} runs it, into a sink that only counts. */
    static long run(byte[] dump, int level, int workers) throws IOException {
        DigestingOutputStream stored = new DigestingOutputStream(OutputStream.nullOutputStream());
        long raw = 0;
        try (OutputStream compressed = Compression.ZSTD.compress(stored, level, workers)) {
            for (int off = 0; off < dump.length; off += SnapshotWriter.COPY_BUFFER) {
                int n = Math.min(SnapshotWriter.COPY_BUFFER, dump.length - off);
                compressed.write(dump, off, n);
                raw += n;
            }
        }
        stored.sha256Hex();
        return raw == dump.length ? stored.count() : -1;
    }

    static byte[] syntheticDump(int size) {
        Random random = new Random(7);
        StringBuilder out = new StringBuilder(size + 1024);
        long id = 1;
        while (out.length() < size) {
            out.append(id++).append('\t').append(new UUID(random.nextLong(), random.nextLong())).append('\t')
                    .append(Long.toHexString(random.nextLong())).append(Long.toHexString(random.nextLong())).append('\t')
                    .append("{\"amount\": ").append(random.nextInt(100000) / 100.0).append(", \"items\": ")
                    .append(random.nextInt(9)).append(", \"channel\": \"").append(WORDS[random.nextInt(WORDS.length)])
                    .append("\"}\t2026-").append(1 + random.nextInt(12)).append('-').append(1 + random.nextInt(28))
                    .append(' ').append(random.nextInt(24)).append(':').append(random.nextInt(60)).append(':')
                    .append(random.nextInt(60)).append('.').append(random.nextInt(1000000)).append("+00\t");
            for (int w = 0; w < 3 + random.nextInt(6); w++) {
                out.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
            }
            out.append('\n');
        }
        return out.substring(0, size).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
