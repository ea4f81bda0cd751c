package io.dbsnap.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the stored dump is compressed; the names are those of the CLI's --compress. */
public enum CompressionType {
    @JsonProperty("zstd") ZSTD,
    @JsonProperty("gzip") GZIP,
    @JsonProperty("none") NONE;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
