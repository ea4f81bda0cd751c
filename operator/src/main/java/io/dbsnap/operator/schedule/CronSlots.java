package io.dbsnap.operator.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.dbsnap.api.v1alpha1.schedule.SnapshotScheduleSpec;
import io.dbsnap.operator.job.Problem;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A schedule's slots: the instants its 5-field cron expression names in its time zone. The
 * expression is parsed by cron-utils and evaluated on the zone's wall clock, so DST follows one rule:
 * a wall time that does not exist (the spring-forward gap) becomes the first instant after the gap,
 * once however many slots fell into it; a wall time that exists twice (the fall-back hour) is a slot
 * once, at its first occurrence.
 */
public final class CronSlots {

    public static final String INVALID_SCHEDULE = "InvalidSchedule";
    public static final String UNKNOWN_TIME_ZONE = "UnknownTimeZone";
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Map<String, String> NICKNAMES = Map.of("@hourly", "0 * * * *", "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *", "@weekly", "0 0 * * 0", "@monthly", "0 0 1 * *", "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *");
    /** Wall-clock candidates looked at for one slot: a fall-back hour of every-minute slots needs 60. */
    private static final int MAX_CANDIDATES = 1_000;

    private final ExecutionTime wallClock;
    private final ZoneId zone;

    private CronSlots(ExecutionTime wallClock, ZoneId zone) {
        this.wallClock = wallClock;
        this.zone = zone;
    }

    /** The slots of {@code expression} in {@code timeZone} (null or blank: UTC), or why there are none. */
    public static Parsed parse(String expression, String timeZone) {
        ZoneId zone;
        String id = timeZone == null || timeZone.isBlank() ? "UTC" : timeZone.strip();
        try {
            // IANA names only: an offset (+05:30, UTC+2, GMT-3) has no DST rules and is not what was meant
            if (!ZoneId.getAvailableZoneIds().contains(id)) {
                throw new DateTimeException(id);
            }
            zone = ZoneId.of(id);
        } catch (DateTimeException e) {
            return new Parsed(null, new Problem(UNKNOWN_TIME_ZONE, "timeZone " + timeZone + " is not an IANA time "
                    + "zone; use a name such as Europe/Zurich, America/New_York or UTC"));
        }
        String text = expression == null ? "" : expression.strip();
        if (text.matches("^(CRON_)?TZ=.*")) {
            return invalid(expression, "a CRON_TZ= or TZ= prefix is not read: set timeZone instead");
        }
        String fields = NICKNAMES.getOrDefault(text, text);
        if (fields.startsWith("@")) {
            return invalid(expression, "the nicknames are @hourly, @daily, @weekly, @monthly and @yearly");
        }
        int count = fields.isEmpty() ? 0 : fields.split("\\s+").length;
        if (count != 5) {
            return invalid(expression, "it has " + count + " field" + (count == 1 ? "" : "s")
                    + (count == 6 ? " (seconds are not scheduled: drop the first)" : ""));
        }
        Cron cron;
        try {
            cron = PARSER.parse(fields).validate();
        } catch (IllegalArgumentException e) {
            return invalid(expression, e.getMessage());
        }
        CronSlots slots = new CronSlots(ExecutionTime.forCron(cron), zone);
        if (slots.next(Instant.parse("2000-01-01T00:00:00Z")).isEmpty()) {
            return invalid(expression, "it names no date that exists");
        }
        return new Parsed(slots, null);
    }

    private static Parsed invalid(String expression, String why) {
        return new Parsed(null, new Problem(INVALID_SCHEDULE, "schedule \"" + expression + "\" cannot be used: " + why
                + ". It takes " + SnapshotScheduleSpec.SCHEDULE_HELP));
    }

    public ZoneId zone() {
        return zone;
    }

    /** The first slot strictly after {@code after}; empty when the expression names no later date. */
    public Optional<Instant> next(Instant after) {
        ZoneRules rules = zone.getRules();
        LocalDateTime wall = LocalDateTime.ofInstant(after, zone);
        for (int i = 0; i < MAX_CANDIDATES; i++) {
            Optional<ZonedDateTime> candidate = wallClock.nextExecution(wall.atZone(ZoneOffset.UTC));
            if (candidate.isEmpty()) {
                return Optional.empty();
            }
            wall = candidate.get().toLocalDateTime();
            Instant slot = instantOf(rules, wall);
            if (slot.isAfter(after)) {
                return Optional.of(slot);
            }
        }
        return Optional.empty();
    }

    /** Every slot in {@code (after, until]}, at most {@code limit} of them, oldest first. */
    public List<Instant> between(Instant after, Instant until, int limit) {
        List<Instant> slots = new java.util.ArrayList<>();
        Optional<Instant> slot = next(after);
        while (slot.isPresent() && !slot.get().isAfter(until) && slots.size() < limit) {
            slots.add(slot.get());
            slot = next(slot.get());
        }
        return slots;
    }

    private static Instant instantOf(ZoneRules rules, LocalDateTime wall) {
        List<ZoneOffset> offsets = rules.getValidOffsets(wall);
        if (offsets.isEmpty()) {
            // in a gap: the instant the clocks jumped, the first that exists after this wall time
            ZoneOffsetTransition gap = rules.getTransition(wall);
            return gap.getInstant();
        }
        // one offset, or the first of two in an overlap (the earlier instant)
        return wall.toInstant(offsets.get(0));
    }

    public record Parsed(CronSlots slots, Problem problem) {
        public boolean valid() {
            return problem == null;
        }
    }
}
