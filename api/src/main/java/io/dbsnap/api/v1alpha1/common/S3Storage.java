package io.dbsnap.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

/** An S3-compatible bucket. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
public class S3Storage {

    @io.fabric8.generator.annotation.Required
    @io.fabric8.generator.annotation.Pattern("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
    @JsonPropertyDescription("Bucket name.")
    private String bucket;

    @io.fabric8.generator.annotation.Pattern("^[^/](.*[^/])?$")
    @JsonPropertyDescription("Key prefix inside the bucket, without leading or trailing slash.")
    private String prefix;

    @io.fabric8.generator.annotation.Pattern("^https?://.+$")
    @JsonPropertyDescription("Endpoint URL of an S3-compatible service, e.g. https://minio.storage:9000 (default: AWS).")
    private String endpoint;

    @JsonPropertyDescription("Region (default: us-east-1).")
    private String region;

    @JsonPropertyDescription("Address the bucket in the path instead of the host name, as MinIO and most S3-compatible services need.")
    private Boolean forcePathStyle;

    @io.fabric8.generator.annotation.Required
    @JsonPropertyDescription("Secret with the access keys.")
    private S3CredentialsSecret credentialsSecret;
}
