package io.dbsnap.api.v1alpha1.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

import java.util.List;

/** What retention last did, and what it will do next. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
public class RetentionStatus {

    @JsonPropertyDescription("When retention last deleted snapshots or found nothing to delete (RFC 3339).")
    private String lastAppliedTime;

    @JsonPropertyDescription("Snapshots of this schedule kept at that time.")
    private Integer kept;

    @JsonPropertyDescription("Snapshots retention has deleted since the schedule was created.")
    private Long deleted;

    @JsonPropertyDescription("The snapshots the next Succeeded snapshot will push out, as the policy reads today.")
    private List<String> nextDeletions;
}
