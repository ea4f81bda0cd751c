package io.dbsnap.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** An S3-compatible bucket. */
@JsonInclude(JsonInclude.Include.NON_NULL)
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

    public String getBucket() {
        return bucket;
    }

    public void setBucket(String bucket) {
        this.bucket = bucket;
    }

    public String getPrefix() {
        return prefix;
    }

    public void setPrefix(String prefix) {
        this.prefix = prefix;
    }

    public String getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }

    public Boolean getForcePathStyle() {
        return forcePathStyle;
    }

    public void setForcePathStyle(Boolean forcePathStyle) {
        this.forcePathStyle = forcePathStyle;
    }

    public S3CredentialsSecret getCredentialsSecret() {
        return credentialsSecret;
    }

    public void setCredentialsSecret(S3CredentialsSecret credentialsSecret) {
        this.credentialsSecret = credentialsSecret;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof S3Storage other)) {
            return false;
        }
        return java.util.Objects.equals(bucket, other.bucket)
                && java.util.Objects.equals(prefix, other.prefix)
                && java.util.Objects.equals(endpoint, other.endpoint)
                && java.util.Objects.equals(region, other.region)
                && java.util.Objects.equals(forcePathStyle, other.forcePathStyle)
                && java.util.Objects.equals(credentialsSecret, other.credentialsSecret);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(bucket, prefix, endpoint, region, forcePathStyle, credentialsSecret);
    }
}
