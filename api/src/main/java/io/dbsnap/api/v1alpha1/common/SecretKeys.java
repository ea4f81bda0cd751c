package io.dbsnap.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

/** A Secret in the resource's namespace and the keys that hold a user name and a password. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
public class SecretKeys {

    @io.fabric8.generator.annotation.Required
    @io.fabric8.generator.annotation.Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the Secret, in the same namespace as the resource.")
    private String name;

    @JsonPropertyDescription("Key of the user name in the Secret (default: username).")
    private String usernameKey;

    @JsonPropertyDescription("Key of the password in the Secret (default: password).")
    private String passwordKey;
}
