package io.dbsnap.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

/** A Secret holding S3 access keys; its values reach the Job only through secretKeyRef. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
public class S3CredentialsSecret {

    @io.fabric8.generator.annotation.Required
    @io.fabric8.generator.annotation.Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the Secret, in the same namespace as the resource.")
    private String name;

    @JsonPropertyDescription("Key of the access key id in the Secret (default: AWS_ACCESS_KEY_ID).")
    private String accessKeyIdKey;

    @JsonPropertyDescription("Key of the secret access key in the Secret (default: AWS_SECRET_ACCESS_KEY).")
    private String secretAccessKeyKey;
}
