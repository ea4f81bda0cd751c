package io.dbsnap.api.v1alpha1.restore;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

/** A DatabaseSnapshot by name, in the restore's namespace: a restore never reads another namespace's resources. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
public class SnapshotRef {

    @io.fabric8.generator.annotation.Required
    @io.fabric8.generator.annotation.Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @JsonPropertyDescription("The DatabaseSnapshot's name; it must have Succeeded.")
    private String name;
}
