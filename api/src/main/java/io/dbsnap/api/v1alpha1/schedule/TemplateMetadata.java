package io.dbsnap.api.v1alpha1.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

import java.util.Map;

/** What a scheduled snapshot's metadata may carry from its template. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
public class TemplateMetadata {

    @JsonPropertyDescription("Labels for each snapshot.")
    private Map<String, String> labels;

    @JsonPropertyDescription("Annotations for each snapshot.")
    private Map<String, String> annotations;
}
