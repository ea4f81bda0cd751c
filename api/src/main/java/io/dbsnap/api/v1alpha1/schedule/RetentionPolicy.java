package io.dbsnap.api.v1alpha1.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

/**
 * Which snapshots stay, with restic's and K8up's names and meaning: each keep rule keeps the newest
 * snapshot of each of its periods; a snapshot any rule keeps stays.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
public class RetentionPolicy {

    /** Durations as maxAge takes them: whole hours, days or weeks, e.g. 36h, 400d, 8w. */
    public static final String AGE_PATTERN = "^[0-9]{1,6}[hdw]$";

    @io.fabric8.generator.annotation.Min(0)
    @JsonPropertyDescription("Keep the newest N Succeeded snapshots.")
    private Integer keepLast;

    @io.fabric8.generator.annotation.Min(0)
    @JsonPropertyDescription("Keep the newest snapshot of each of the last N hours that have one.")
    private Integer keepHourly;

    @io.fabric8.generator.annotation.Min(0)
    @JsonPropertyDescription("Keep the newest snapshot of each of the last N days that have one (in the schedule's time zone).")
    private Integer keepDaily;

    @io.fabric8.generator.annotation.Min(0)
    @JsonPropertyDescription("Keep the newest snapshot of each of the last N ISO weeks that have one.")
    private Integer keepWeekly;

    @io.fabric8.generator.annotation.Min(0)
    @JsonPropertyDescription("Keep the newest snapshot of each of the last N months that have one.")
    private Integer keepMonthly;

    @io.fabric8.generator.annotation.Min(0)
    @JsonPropertyDescription("Keep the newest snapshot of each of the last N years that have one.")
    private Integer keepYearly;

    @io.fabric8.generator.annotation.Pattern(AGE_PATTERN)
    @JsonPropertyDescription("Applied after the rules: a snapshot taken more than this before the newest Succeeded "
            + "one goes even if a rule keeps it (counted from that snapshot, not the clock, as restic's --keep-within). "
            + "Whole hours, days or weeks: 36h, 400d, 8w.")
    private String maxAge;

    @io.fabric8.generator.annotation.Min(0)
    @JsonPropertyDescription("Failed snapshots to keep for inspection, newest first (default 1). They never count towards the rules.")
    private Integer keepFailed;
}
