package io.dbsnap.api.v1alpha1.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.dbsnap.api.v1alpha1.common.JobStatus;

/** What happened: phase, conditions and, once Succeeded, where the snapshot is and its checksum. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseSnapshotStatus extends JobStatus {

    @JsonPropertyDescription("Id of the snapshot in the store, as dbsnap list shows it.")
    private String snapshotId;

    @JsonPropertyDescription("URL of the snapshot's folder in the store.")
    private String location;

    @JsonPropertyDescription("Bytes stored (compressed).")
    private Long size;

    @JsonPropertyDescription("Bytes of the dump before compression.")
    private Long rawSize;

    @JsonPropertyDescription("The stored size for people, e.g. 314 MiB.")
    private String displaySize;

    @JsonPropertyDescription("sha256:HEX of the stored object; sha256sum of the downloaded file prints the same HEX.")
    private String checksum;

    @JsonPropertyDescription("The engine that took the snapshot.")
    private String engine;

    @JsonPropertyDescription("Version of the database server.")
    private String engineVersion;

    @JsonPropertyDescription("namespace/pod the snapshot was taken from.")
    private String source;

    public String getSnapshotId() {
        return snapshotId;
    }

    public void setSnapshotId(String snapshotId) {
        this.snapshotId = snapshotId;
    }

    public String getLocation() {
        return location;
    }

    public void setLocation(String location) {
        this.location = location;
    }

    public Long getSize() {
        return size;
    }

    public void setSize(Long size) {
        this.size = size;
    }

    public Long getRawSize() {
        return rawSize;
    }

    public void setRawSize(Long rawSize) {
        this.rawSize = rawSize;
    }

    public String getDisplaySize() {
        return displaySize;
    }

    public void setDisplaySize(String displaySize) {
        this.displaySize = displaySize;
    }

    public String getChecksum() {
        return checksum;
    }

    public void setChecksum(String checksum) {
        this.checksum = checksum;
    }

    public String getEngine() {
        return engine;
    }

    public void setEngine(String engine) {
        this.engine = engine;
    }

    public String getEngineVersion() {
        return engineVersion;
    }

    public void setEngineVersion(String engineVersion) {
        this.engineVersion = engineVersion;
    }

    public String getSource() {
        return source;
    }

    public void setSource(String source) {
        this.source = source;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DatabaseSnapshotStatus other)) {
            return false;
        }
        return super.equals(other)
                && java.util.Objects.equals(snapshotId, other.snapshotId)
                && java.util.Objects.equals(location, other.location)
                && java.util.Objects.equals(size, other.size)
                && java.util.Objects.equals(rawSize, other.rawSize)
                && java.util.Objects.equals(displaySize, other.displaySize)
                && java.util.Objects.equals(checksum, other.checksum)
                && java.util.Objects.equals(engine, other.engine)
                && java.util.Objects.equals(engineVersion, other.engineVersion)
                && java.util.Objects.equals(source, other.source);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(super.hashCode(), snapshotId, location, size, rawSize, displaySize, checksum, engine, engineVersion, source);
    }
}
