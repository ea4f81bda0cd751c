package io.dbsnap.api.v1alpha1.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import lombok.Data;

import java.util.List;

/** The schedule's decisions (which slots ran, which were missed and why) and its snapshots' state. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
public class SnapshotScheduleStatus {

    @JsonPropertyDescription("The generation of the spec this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Ready, Suspended and Stale, with reasons and messages.")
    private List<Condition> conditions;

    @JsonPropertyDescription("The time zone in effect.")
    private String timeZone;

    @JsonPropertyDescription("Whether the schedule is suspended.")
    private Boolean suspended;

    @JsonPropertyDescription("Every slot up to this time has been run, skipped or counted as missed (RFC 3339); "
            + "kept here, not in memory, so a restart neither loses a slot nor runs one twice.")
    private String slotsDecidedUntil;

    @JsonPropertyDescription("The slot of the last snapshot created (the slot, not when it started).")
    private String lastScheduleTime;

    @JsonPropertyDescription("When the last Succeeded snapshot completed.")
    private String lastSuccessfulTime;

    @JsonPropertyDescription("When the next snapshot starts (its slot plus the jitter).")
    private String nextScheduleTime;

    @JsonPropertyDescription("Snapshots of this schedule still running.")
    private Integer active;

    @JsonPropertyDescription("Their names.")
    private List<String> activeSnapshots;

    @JsonPropertyDescription("The newest snapshot this schedule created.")
    private String lastSnapshot;

    @JsonPropertyDescription("Failed snapshots since the last Succeeded one (counted as they finish, so retention "
            + "deleting failed ones does not lower it).")
    private Integer consecutiveFailures;

    @JsonPropertyDescription("The slot of the newest snapshot whose result consecutiveFailures has counted.")
    private String resultsCountedUntil;

    @JsonPropertyDescription("Slots that took no snapshot.")
    private MissedRuns missed;

    @JsonPropertyDescription("What retention did last and will do next.")
    private RetentionStatus retention;
}
