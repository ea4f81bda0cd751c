package io.dbsnap.api.v1alpha1.restore;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.dbsnap.api.v1alpha1.common.JobOptions;
import io.dbsnap.api.v1alpha1.common.SnapshotSource;
import lombok.Data;

/** What to restore, into what, and how carefully. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
// a restore runs once; a different one is a new resource, which leaves its own trace
@io.fabric8.generator.annotation.ValidationRule(value = "self == oldSelf", message = "spec is immutable: create a new SnapshotRestore instead")
public class SnapshotRestoreSpec {

    @io.fabric8.generator.annotation.Required
    @JsonPropertyDescription("The snapshot to restore: exactly one of snapshotRef, scheduleRef and location.")
    private RestoreSource source;

    @JsonPropertyDescription("The database to restore into, shaped like a snapshot's source (default: the snapshot's own source).")
    private SnapshotSource target;

    @JsonPropertyDescription("Take a DatabaseSnapshot of the target first, into the same storage, and go on only when it "
            + "succeeded (default true). It is not owned by the restore: deleting the restore keeps it.")
    private Boolean preRestoreSnapshot;

    @JsonPropertyDescription("Verify every byte, check the target, and write the plan into status; change nothing.")
    private Boolean dryRun;

    @io.fabric8.generator.annotation.Size(max = 512)
    @JsonPropertyDescription("The target's identity NAMESPACE/POD/DATABASE, required when the target pod or its "
            + "namespace is annotated dbsnap.io/protect: \"true\".")
    private String confirm;

    @JsonPropertyDescription("The age identity for an encrypted snapshot, mounted into the restore's Jobs only.")
    private Decryption decryption;

    @JsonPropertyDescription("How the restore Job runs: resources, scheduling and time limits.")
    private JobOptions job;
}
