package io.dbsnap.core.pipeline;

import java.util.Optional;

/**
 * What to snapshot into: the snapshot's name (the id's suffix), an optional source-name override,
 * tag and note, how to compress (level and zstd worker threads; 0 workers compresses inline), and
 * what is done to the compressed stream before it is stored ({@link StoredTransform}).
 */
public record SnapshotRequest(String name, Optional<String> sourceName, String tag, String note,
                              Compression compression, int level, int workers, StoredTransform transform) {

    /** One zstd thread beside the copying thread: measured best on 2 cores (make bench). */
    public static final int DEFAULT_WORKERS = 1;

    public static SnapshotRequest named(String name) {
        return new SnapshotRequest(name, Optional.empty(), null, null, Compression.ZSTD,
                Compression.ZSTD.defaultLevel(), DEFAULT_WORKERS, StoredTransform.NONE);
    }

    public SnapshotRequest withTag(String value) {
        return new SnapshotRequest(name, sourceName, value, note, compression, level, workers, transform);
    }

    public SnapshotRequest withNote(String value) {
        return new SnapshotRequest(name, sourceName, tag, value, compression, level, workers, transform);
    }

    public SnapshotRequest withSourceName(String value) {
        return new SnapshotRequest(name, Optional.ofNullable(value), tag, note, compression, level, workers, transform);
    }

    public SnapshotRequest withCompression(Compression value, int levelValue, int workersValue) {
        return new SnapshotRequest(name, sourceName, tag, note, value, levelValue, workersValue, transform);
    }

    public SnapshotRequest withTransform(StoredTransform value) {
        return new SnapshotRequest(name, sourceName, tag, note, compression, level, workers, value);
    }
}
