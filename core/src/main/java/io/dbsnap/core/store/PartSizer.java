package io.dbsnap.core.store;

/**
 * Part sizes for a multipart upload of unknown length. Parts start small, so memory stays low for
 * ordinary databases, and grow by one base size every {@code growEvery} parts, so a 1 TiB dump still
 * fits S3's 10,000-part limit: with 8 MiB and 250, 10,000 parts hold 1.56 TiB, and a part never
 * exceeds 320 MiB (S3 allows 5 GiB).
 */
public record PartSizer(int baseBytes, int growEvery) {

    public static final int MAX_PARTS = 10_000;
    public static final int MIN_PART = 5 * 1024 * 1024;
    public static final PartSizer DEFAULT = new PartSizer(8 * 1024 * 1024, 250);

    public PartSizer {
        if (baseBytes < MIN_PART) {
            throw new IllegalArgumentException("S3 parts must be at least 5 MiB, not " + baseBytes);
        }
        if (growEvery < 1) {
            throw new IllegalArgumentException("growEvery must be positive");
        }
    }

    /** The size of part {@code partNumber} (1-based, as S3 counts). */
    public int partSize(int partNumber) {
        if (partNumber < 1 || partNumber > MAX_PARTS) {
            throw new IllegalArgumentException("part number " + partNumber + " is outside 1.." + MAX_PARTS);
        }
        long size = (long) baseBytes * (1 + (partNumber - 1) / growEvery);
        return (int) Math.min(size, Integer.MAX_VALUE - 8);
    }

    /** How many bytes the first {@code parts} parts hold together. */
    public long capacity(int parts) {
        long total = 0;
        for (int i = 1; i <= parts; i++) {
            total += partSize(i);
        }
        return total;
    }
}
