package io.dbsnap.api.v1alpha1.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.dbsnap.api.v1alpha1.common.JobStatus;
import lombok.Data;
import lombok.EqualsAndHashCode;
import lombok.ToString;

/** What happened: phase, conditions and, once Succeeded, where the snapshot is and its checksum. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
@EqualsAndHashCode(callSuper = true)
@ToString(callSuper = true)
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

    @JsonPropertyDescription("While the Job runs: how far it has come and how fast, e.g. 412 MiB at 52 MiB/s.")
    private String progress;
}
