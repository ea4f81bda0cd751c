package io.dbsnap.core.pipeline;

/** What passed through a pipeline: bytes as stored, bytes before compression, SHA-256 of the stored bytes. */
public record StreamResult(long size, long rawSize, String sha256) {
}
