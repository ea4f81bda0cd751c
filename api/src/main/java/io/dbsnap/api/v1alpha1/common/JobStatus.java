package io.dbsnap.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import lombok.Data;

import java.util.List;

/**
 * What every resource that a Job carries out reports, whatever its result: phase, conditions, the
 * Job and its times. Each resource's status adds its own result fields.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
public class JobStatus {

    @JsonPropertyDescription("Pending, Running, Succeeded or Failed. Succeeded and Failed are final.")
    private String phase;

    @JsonPropertyDescription("Complete and Failed conditions, with reasons and messages.")
    private List<Condition> conditions;

    @JsonPropertyDescription("The generation of the spec this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Name of the Job that does the work.")
    private String jobName;

    @JsonPropertyDescription("When the Job was created (RFC 3339).")
    private String startTime;

    @JsonPropertyDescription("When the work succeeded or failed (RFC 3339).")
    private String completionTime;
}
