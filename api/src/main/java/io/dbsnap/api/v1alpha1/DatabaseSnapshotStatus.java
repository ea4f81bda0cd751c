package io.dbsnap.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What happened: phase, conditions and, once Succeeded, where the snapshot is and its checksum. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseSnapshotStatus {

    @JsonPropertyDescription("Pending, Running, Succeeded or Failed. Succeeded and Failed are final.")
    private String phase;

    @JsonPropertyDescription("Complete and Failed conditions, with reasons and messages.")
    private List<Condition> conditions;

    @JsonPropertyDescription("The generation of the spec this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Name of the Job that takes the snapshot.")
    private String jobName;

    @JsonPropertyDescription("When the Job was created (RFC 3339).")
    private String startTime;

    @JsonPropertyDescription("When the snapshot succeeded or failed (RFC 3339).")
    private String completionTime;

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

    public String getPhase() {
        return phase;
    }

    public void setPhase(String phase) {
        this.phase = phase;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public String getJobName() {
        return jobName;
    }

    public void setJobName(String jobName) {
        this.jobName = jobName;
    }

    public String getStartTime() {
        return startTime;
    }

    public void setStartTime(String startTime) {
        this.startTime = startTime;
    }

    public String getCompletionTime() {
        return completionTime;
    }

    public void setCompletionTime(String completionTime) {
        this.completionTime = completionTime;
    }

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
        return java.util.Objects.equals(phase, other.phase)
                && java.util.Objects.equals(conditions, other.conditions)
                && java.util.Objects.equals(observedGeneration, other.observedGeneration)
                && java.util.Objects.equals(jobName, other.jobName)
                && java.util.Objects.equals(startTime, other.startTime)
                && java.util.Objects.equals(completionTime, other.completionTime)
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
        return java.util.Objects.hash(phase, conditions, observedGeneration, jobName, startTime, completionTime, snapshotId, location, size, rawSize, displaySize, checksum, engine, engineVersion, source);
    }
}
