package io.dbsnap.api.v1alpha1.restore;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

/** "Last night's": the newest Succeeded snapshot a schedule took at or before a time, with no name to look up. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
public class ScheduleRef {

    @io.fabric8.generator.annotation.Required
    @io.fabric8.generator.annotation.Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @JsonPropertyDescription("The SnapshotSchedule's name, in the restore's namespace.")
    private String name;

    @JsonPropertyDescription("RFC 3339 time; the newest snapshot completed at or before it (default: when the restore "
            + "is first seen).")
    private String before;
}
