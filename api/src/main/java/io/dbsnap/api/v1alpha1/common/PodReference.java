package io.dbsnap.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** The database pod: by name, or the first Running and Ready pod a label selector matches. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@io.fabric8.generator.annotation.ValidationRule(value = "has(self.name) != has(self.selector)", message = "set exactly one of pod.name and pod.selector")
public class PodReference {

    @JsonPropertyDescription("Name of the pod. Exactly one of name and selector is set.")
    private String name;

    @JsonPropertyDescription("Label selector choosing a Running and Ready pod. Exactly one of name and selector is set.")
    private LabelSelector selector;

    @JsonPropertyDescription("Container to exec into (default: the one whose image runs a known database, else the first).")
    private String container;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public LabelSelector getSelector() {
        return selector;
    }

    public void setSelector(LabelSelector selector) {
        this.selector = selector;
    }

    public String getContainer() {
        return container;
    }

    public void setContainer(String container) {
        this.container = container;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PodReference other)) {
            return false;
        }
        return java.util.Objects.equals(name, other.name)
                && java.util.Objects.equals(selector, other.selector)
                && java.util.Objects.equals(container, other.container);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, selector, container);
    }
}
