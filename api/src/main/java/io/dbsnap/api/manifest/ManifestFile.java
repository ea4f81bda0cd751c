package io.dbsnap.api.manifest;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One stored object of a snapshot: its size as stored, its size before compression, its SHA-256 (hex). */
@JsonPropertyOrder({"name", "size", "rawSize", "sha256"})
public record ManifestFile(String name, long size, long rawSize, String sha256) {
}
