package io.dbsnap.api.v1alpha1.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

/** When to take snapshots of one database, in which time zone, and which of them to keep. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
public class SnapshotScheduleSpec {

    /** What admission can tell of a cron expression: five fields or a nickname (the operator parses the rest). */
    public static final long MAX_DEADLINE_SECONDS = 366L * 24 * 3600;
    public static final String SCHEDULE_SHAPE = "^\\s*(@(hourly|daily|weekly|monthly|yearly|annually|midnight)"
            + "|[^\\s@]+(\\s+[^\\s]+){4})\\s*$";
    public static final String SCHEDULE_HELP = "5 fields, minute hour day-of-month month day-of-week (e.g. \"0 2 * * *\" "
            + "for 02:00 every day), or @hourly, @daily, @weekly, @monthly, @yearly; the time zone goes in timeZone";

    @io.fabric8.generator.annotation.Required
    @io.fabric8.generator.annotation.ValidationRule(value = "!self.matches('^\\\\s*(CRON_)?TZ=')",
            message = "a CRON_TZ= or TZ= prefix is not read: set timeZone instead")
    @io.fabric8.generator.annotation.ValidationRule(value = "self.matches('" + "^\\\\s*(@(hourly|daily|weekly|monthly|yearly|annually|midnight)"
            + "|[^\\\\s@]+(\\\\s+[^\\\\s]+){4})\\\\s*$" + "')", message = "schedule takes " + SCHEDULE_HELP)
    @JsonPropertyDescription("Cron: " + SCHEDULE_HELP + ".")
    private String schedule;

    @JsonPropertyDescription("IANA time zone the schedule and the retention periods are read in, e.g. Europe/Zurich (default UTC).")
    private String timeZone;

    @io.fabric8.generator.annotation.Pattern("^([0-9]{1,5}[smh])+$")
    @JsonPropertyDescription("Moves each slot later by a fixed amount under this bound (e.g. 15m), the same for every "
            + "slot of this schedule and different between schedules, so many schedules at @daily do not start together.")
    private String jitter;

    @io.fabric8.generator.annotation.Min(1)
    @io.fabric8.generator.annotation.Max(MAX_DEADLINE_SECONDS)
    @JsonPropertyDescription("How late a slot may still start, in seconds (default 3600, at most a year). After the operator was down "
            + "or the schedule suspended, only the newest missed slot inside this deadline runs, once.")
    private Long startingDeadlineSeconds;

    @JsonPropertyDescription("While a snapshot of this schedule still runs: Forbid (default) skips the slot, Replace "
            + "deletes the running snapshot and starts the new one, Allow starts it beside the running one.")
    private ConcurrencyPolicy concurrencyPolicy;

    @JsonPropertyDescription("Take no snapshots while true; slots passed while suspended are counted as missed, never run on resume.")
    private Boolean suspend;

    @JsonPropertyDescription("Take one snapshot as soon as the schedule is created, besides its slots.")
    private Boolean immediate;

    @JsonPropertyDescription("Which snapshots of this schedule to keep; unset keeps them all.")
    private RetentionPolicy retention;

    @io.fabric8.generator.annotation.Required
    @JsonPropertyDescription("The DatabaseSnapshot each slot creates, named SCHEDULE-yyyyMMddHHmm (the slot, in UTC).")
    private SnapshotTemplate snapshotTemplate;
}
