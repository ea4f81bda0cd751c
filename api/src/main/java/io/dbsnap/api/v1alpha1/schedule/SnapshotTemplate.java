package io.dbsnap.api.v1alpha1.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.dbsnap.api.v1alpha1.snapshot.SnapshotSettings;
import lombok.Data;

/** The DatabaseSnapshot each slot creates: its labels and annotations, and its spec. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
public class SnapshotTemplate {

    @JsonPropertyDescription("Labels and annotations for each snapshot (the operator adds dbsnap.io/schedule).")
    private TemplateMetadata metadata;

    @io.fabric8.generator.annotation.Required
    @JsonPropertyDescription("A DatabaseSnapshot spec. deletionPolicy defaults to Delete here, so retention frees storage.")
    private SnapshotSettings spec;
}
