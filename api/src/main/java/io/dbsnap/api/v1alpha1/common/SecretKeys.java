package io.dbsnap.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A Secret in the resource's namespace and the keys that hold a user name and a password. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeys {

    @io.fabric8.generator.annotation.Required
    @io.fabric8.generator.annotation.Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the Secret, in the same namespace as the resource.")
    private String name;

    @JsonPropertyDescription("Key of the user name in the Secret (default: username).")
    private String usernameKey;

    @JsonPropertyDescription("Key of the password in the Secret (default: password).")
    private String passwordKey;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getUsernameKey() {
        return usernameKey;
    }

    public void setUsernameKey(String usernameKey) {
        this.usernameKey = usernameKey;
    }

    public String getPasswordKey() {
        return passwordKey;
    }

    public void setPasswordKey(String passwordKey) {
        this.passwordKey = passwordKey;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SecretKeys other)) {
            return false;
        }
        return java.util.Objects.equals(name, other.name)
                && java.util.Objects.equals(usernameKey, other.usernameKey)
                && java.util.Objects.equals(passwordKey, other.passwordKey);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, usernameKey, passwordKey);
    }
}
