package io.dbsnap.api.v1alpha1.restore;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.dbsnap.api.v1alpha1.common.SnapshotStorage;
import lombok.Data;
import lombok.EqualsAndHashCode;
import lombok.ToString;

/**
 * A snapshot's folder in a bucket, found by its manifest; optionally pinned to the checksum it must
 * have. The bucket is a snapshot's storage, with the restore's own credentialsSecret.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
@EqualsAndHashCode(callSuper = true)
@ToString(callSuper = true)
public class StoredSnapshotRef extends SnapshotStorage {

    @io.fabric8.generator.annotation.Required
    @io.fabric8.generator.annotation.Pattern("^[a-z0-9][-a-z0-9]*/[a-z0-9_][a-z0-9._-]*/[0-9]{8}-[0-9]{6}-[a-z0-9._-]+/$")
    @JsonPropertyDescription("NAMESPACE/SOURCE/ID/ below the bucket's prefix, as status.location of a snapshot ends.")
    private String path;

    @io.fabric8.generator.annotation.Pattern("^(sha256:)?[0-9a-f]{64}$")
    @JsonPropertyDescription("The stored object's SHA-256 the manifest must name, e.g. from the source cluster's status.checksum.")
    private String sha256;
}
