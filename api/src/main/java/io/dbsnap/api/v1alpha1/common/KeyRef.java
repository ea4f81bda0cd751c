package io.dbsnap.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

/** One key of a Secret or ConfigMap in the resource's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
public class KeyRef {

    @io.fabric8.generator.annotation.Required
    @io.fabric8.generator.annotation.Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the Secret or ConfigMap, in the same namespace as the resource.")
    private String name;

    @io.fabric8.generator.annotation.Required
    @io.fabric8.generator.annotation.Pattern("^[-._a-zA-Z0-9]+$")
    @JsonPropertyDescription("The key within it.")
    private String key;
}
