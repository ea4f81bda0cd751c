package io.dbsnap.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A Secret holding S3 access keys; its values reach the Job only through secretKeyRef. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class S3CredentialsSecret {

    @io.fabric8.generator.annotation.Required
    @io.fabric8.generator.annotation.Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the Secret, in the same namespace as the resource.")
    private String name;

    @JsonPropertyDescription("Key of the access key id in the Secret (default: AWS_ACCESS_KEY_ID).")
    private String accessKeyIdKey;

    @JsonPropertyDescription("Key of the secret access key in the Secret (default: AWS_SECRET_ACCESS_KEY).")
    private String secretAccessKeyKey;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getAccessKeyIdKey() {
        return accessKeyIdKey;
    }

    public void setAccessKeyIdKey(String accessKeyIdKey) {
        this.accessKeyIdKey = accessKeyIdKey;
    }

    public String getSecretAccessKeyKey() {
        return secretAccessKeyKey;
    }

    public void setSecretAccessKeyKey(String secretAccessKeyKey) {
        this.secretAccessKeyKey = secretAccessKeyKey;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof S3CredentialsSecret other)) {
            return false;
        }
        return java.util.Objects.equals(name, other.name)
                && java.util.Objects.equals(accessKeyIdKey, other.accessKeyIdKey)
                && java.util.Objects.equals(secretAccessKeyKey, other.secretAccessKeyKey);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, accessKeyIdKey, secretAccessKeyKey);
    }
}
