package io.dbsnap.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.LabelSelector;
import lombok.Data;

/** The database pod: by name, or the first Running and Ready pod a label selector matches. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
@io.fabric8.generator.annotation.ValidationRule(value = "has(self.name) != has(self.selector)", message = "set exactly one of pod.name and pod.selector")
public class PodReference {

    @JsonPropertyDescription("Name of the pod. Exactly one of name and selector is set.")
    private String name;

    @JsonPropertyDescription("Label selector choosing a Running and Ready pod. Exactly one of name and selector is set.")
    private LabelSelector selector;

    @JsonPropertyDescription("Container to exec into (default: the one whose image runs a known database, else the first).")
    private String container;
}
