package io.dbsnap.api.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Instant;
import java.util.List;

/**
 * The lasting record of one snapshot, stored as {@code manifest.json} beside its data and written
 * last: a snapshot exists only once its manifest does.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"formatVersion", "id", "engine", "engineVersion", "source", "createdAt", "completedAt",
        "tag", "note", "toolVersion", "compression", "encryption", "recipients", "files"})
public record Manifest(
        int formatVersion,
        String id,
        String engine,
        String engineVersion,
        ManifestSource source,
        Instant createdAt,
        Instant completedAt,
        String tag,
        String note,
        String toolVersion,
        String compression,
        String encryption,
        List<String> recipients,
        List<ManifestFile> files) {

    public static final int FORMAT_VERSION = 1;
    public static final String FILE_NAME = "manifest.json";

    public Manifest {
        recipients = recipients == null || recipients.isEmpty() ? null : List.copyOf(recipients);
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** A snapshot stored without encryption, or with one that names no recipients. */
    public Manifest(int formatVersion, String id, String engine, String engineVersion, ManifestSource source,
                    Instant createdAt, Instant completedAt, String tag, String note, String toolVersion,
                    String compression, String encryption, List<ManifestFile> files) {
        this(formatVersion, id, engine, engineVersion, source, createdAt, completedAt, tag, note, toolVersion,
                compression, encryption, null, files);
    }

    /** The encryption names this version reads; a manifest naming another is refused, never read as plain. */
    public static final List<String> ENCRYPTIONS = List.of("none", "age");

    /** The one data file every engine writes today. */
    public ManifestFile dataFile() {
        if (files.size() != 1) {
            throw new IllegalStateException("snapshot " + id + " lists " + files.size() + " files, expected 1");
        }
        return files.get(0);
    }

    /** Bytes as stored (compressed). */
    public long size() {
        return files.stream().mapToLong(ManifestFile::size).sum();
    }

    /** Bytes as the engine produced them (before compression). */
    public long rawSize() {
        return files.stream().mapToLong(ManifestFile::rawSize).sum();
    }
}
