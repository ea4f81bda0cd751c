package io.dbsnap.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Where snapshots are stored: exactly one backend. A new one (GCS, Azure) is a field here, one more
 * {@code has(...)} in the rule, its store provider in core and its Job binding in the operator.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@io.fabric8.generator.annotation.ValidationRule(value = "[has(self.s3)].filter(b, b).size() == 1",
        message = "set exactly one storage backend: s3")
public class SnapshotStorage {

    @JsonPropertyDescription("An S3-compatible bucket.")
    private S3Storage s3;

    public S3Storage getS3() {
        return s3;
    }

    public void setS3(S3Storage s3) {
        this.s3 = s3;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SnapshotStorage other)) {
            return false;
        }
        return java.util.Objects.equals(s3, other.s3);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(s3);
    }
}
