package io.dbsnap.api.v1alpha1.restore;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.dbsnap.api.v1alpha1.common.JobStatus;
import lombok.Data;
import lombok.EqualsAndHashCode;
import lombok.ToString;

import java.util.List;

/** What happened: phase and conditions, the snapshot resolved, its verified checksum, the safety snapshot, progress, a plan. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
@EqualsAndHashCode(callSuper = true)
@ToString(callSuper = true)
public class SnapshotRestoreStatus extends JobStatus {

    @JsonPropertyDescription("The snapshot restored, for people: NAMESPACE/NAME of a DatabaseSnapshot, or its location.")
    private String source;

    @JsonPropertyDescription("The target's identity NAMESPACE/POD/DATABASE.")
    private String target;

    @JsonPropertyDescription("Location URL of the snapshot's folder in the store.")
    private String location;

    @JsonPropertyDescription("sha256:HEX of the stored object as every byte of it was verified; set only once it matched.")
    private String verifiedChecksum;

    @JsonPropertyDescription("The engine and version the snapshot was taken with.")
    private String engine;

    @JsonPropertyDescription("Version of the server the snapshot was taken from.")
    private String engineVersion;

    @JsonPropertyDescription("When the snapshot was taken (RFC 3339).")
    private String takenAt;

    @JsonPropertyDescription("The age recipients (public keys) of spec.decryption's identity; the pre-restore snapshot "
            + "is encrypted to them, never to keys a manifest names.")
    private java.util.List<String> recipients;

    @JsonPropertyDescription("The DatabaseSnapshot of the target taken before anything was changed.")
    private String preRestoreSnapshot;

    @JsonPropertyDescription("True when the target did not exist or held nothing when it was verified, so no pre-restore snapshot was needed.")
    private Boolean targetHeldNothing;

    @JsonPropertyDescription("Bytes restored so far.")
    private Long restoredBytes;

    @JsonPropertyDescription("Bytes the dump holds (before compression).")
    private Long totalBytes;

    @JsonPropertyDescription("While the Job runs: how far it has come and how fast, e.g. 412 MiB at 52 MiB/s.")
    private String progress;

    @JsonPropertyDescription("A dry run's plan: what the restore would replace in the target, a line each.")
    private List<String> plan;
}
