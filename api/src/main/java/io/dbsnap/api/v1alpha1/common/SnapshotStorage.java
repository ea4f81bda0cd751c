package io.dbsnap.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

/**
 * Where snapshots are stored: exactly one backend. A new one (GCS, Azure) is a field here, one more
 * {@code has(...)} in the rule, its store provider in core and its Job binding in the operator.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
@io.fabric8.generator.annotation.ValidationRule(value = "[has(self.s3)].filter(b, b).size() == 1",
        message = "set exactly one storage backend: s3")
public class SnapshotStorage {

    @JsonPropertyDescription("An S3-compatible bucket.")
    private S3Storage s3;
}
