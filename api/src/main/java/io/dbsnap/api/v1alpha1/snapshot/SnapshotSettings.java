package io.dbsnap.api.v1alpha1.snapshot;

import io.dbsnap.api.v1alpha1.common.CompressionType;
import io.dbsnap.api.v1alpha1.common.DeletionPolicy;
import io.dbsnap.api.v1alpha1.common.JobOptions;
import io.dbsnap.api.v1alpha1.common.SnapshotSource;
import io.dbsnap.api.v1alpha1.common.SnapshotStorage;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

/**
 * What a snapshot asks for: the database, where to store it, how. A DatabaseSnapshot's spec, and a
 * schedule's template for the snapshots it takes (which, unlike a snapshot's spec, may be edited).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
public class SnapshotSettings {

    @io.fabric8.generator.annotation.Required
    @JsonPropertyDescription("The database to snapshot.")
    private SnapshotSource source;

    @io.fabric8.generator.annotation.Required
    @JsonPropertyDescription("Where to store the snapshot.")
    private SnapshotStorage storage;

    @JsonPropertyDescription("Compression of the stored dump: zstd (default), gzip or none.")
    private CompressionType compression;

    @io.fabric8.generator.annotation.Pattern("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")
    @JsonPropertyDescription("A label for people and for restores by tag, e.g. before-migration.")
    private String tag;

    @io.fabric8.generator.annotation.Size(max = 1024)
    @JsonPropertyDescription("Free text stored in the manifest.")
    private String note;

    @JsonPropertyDescription("Encrypt the stored object with age to these recipients (public keys); restoring it "
            + "then needs one of their identities.")
    private io.dbsnap.api.v1alpha1.common.Encryption encryption;

    @JsonPropertyDescription("What deleting this resource does to the stored snapshot: Retain keeps it, Delete removes it. The default is "
            + "Retain for a DatabaseSnapshot and Delete in a SnapshotSchedule's template, so retention frees storage.")
    private DeletionPolicy deletionPolicy;

    @JsonPropertyDescription("How the snapshot Job runs: resources, scheduling and time limits.")
    private JobOptions job;
}
