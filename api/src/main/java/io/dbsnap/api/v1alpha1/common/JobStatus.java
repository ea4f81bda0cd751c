package io.dbsnap.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;
import java.util.Objects;

/**
 * What every resource that a Job carries out reports, whatever its result: phase, conditions, the
 * Job and its times. Each resource's status adds its own result fields.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
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

    public String getPhase() {
        return phase;
    }

    public void setPhase(String phase) {
        this.phase = phase;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public String getJobName() {
        return jobName;
    }

    public void setJobName(String jobName) {
        this.jobName = jobName;
    }

    public String getStartTime() {
        return startTime;
    }

    public void setStartTime(String startTime) {
        this.startTime = startTime;
    }

    public String getCompletionTime() {
        return completionTime;
    }

    public void setCompletionTime(String completionTime) {
        this.completionTime = completionTime;
    }

    /** Subclasses call it: a status is equal only when its shared part is too. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || getClass() != o.getClass()) {
            return false;
        }
        JobStatus other = (JobStatus) o;
        return Objects.equals(phase, other.phase)
                && Objects.equals(conditions, other.conditions)
                && Objects.equals(observedGeneration, other.observedGeneration)
                && Objects.equals(jobName, other.jobName)
                && Objects.equals(startTime, other.startTime)
                && Objects.equals(completionTime, other.completionTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(phase, conditions, observedGeneration, jobName, startTime, completionTime);
    }
}
