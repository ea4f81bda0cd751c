package io.dbsnap.operator.schedule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Cron expressions, time zones and both DST transitions, each slot by its instant. */
class CronSlotsTest {

    private static CronSlots slots(String expression, String zone) {
        CronSlots.Parsed parsed = CronSlots.parse(expression, zone);
        assertThat(parsed.problem()).as(expression).isNull();
        return parsed.slots();
    }

    private static List<String> between(CronSlots slots, String after, String until) {
        return slots.between(Instant.parse(after), Instant.parse(until), 100).stream().map(Instant::toString).toList();
    }

    @Test
    void fiveFieldsAndTheNicknamesAreSlotsInUtcByDefault() {
        assertThat(between(slots("0 2 * * *", null), "2026-12-01T00:00:00Z", "2026-12-03T00:00:00Z"))
                .containsExactly("2026-12-01T02:00:00Z", "2026-12-02T02:00:00Z");
        assertThat(between(slots("@hourly", ""), "2026-12-01T00:00:00Z", "2026-12-01T02:00:00Z"))
                .containsExactly("2026-12-01T01:00:00Z", "2026-12-01T02:00:00Z");
        assertThat(between(slots("@daily", "UTC"), "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z"))
                .containsExactly("2026-12-02T00:00:00Z");
        // 2026-12-06 is a Sunday, the first of 2027 a Friday
        assertThat(between(slots("@weekly", "UTC"), "2026-12-01T00:00:00Z", "2026-12-10T00:00:00Z"))
                .containsExactly("2026-12-06T00:00:00Z");
        assertThat(between(slots("@monthly", "UTC"), "2026-12-01T00:00:00Z", "2027-01-02T00:00:00Z"))
                .containsExactly("2027-01-01T00:00:00Z");
        assertThat(between(slots("@yearly", "UTC"), "2026-12-01T00:00:00Z", "2028-01-02T00:00:00Z"))
                .containsExactly("2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z");
        assertThat(between(slots("*/15 9-10 * * 1-5", "UTC"), "2026-12-04T10:20:00Z", "2026-12-07T09:16:00Z"))
                .containsExactly("2026-12-04T10:30:00Z", "2026-12-04T10:45:00Z", "2026-12-07T09:00:00Z",
                        "2026-12-07T09:15:00Z");
    }

    @Test
    void dayOfMonthAndDayOfWeekTogetherMeanEitherAsInCron() {
        // the 1st of the month, or any Monday: 2026-12-01 (Tue, the 1st), 2026-12-07 (Mon)
        assertThat(between(slots("0 0 1 * 1", "UTC"), "2026-11-30T12:00:00Z", "2026-12-08T00:00:00Z"))
                .containsExactly("2026-12-01T00:00:00Z", "2026-12-07T00:00:00Z");
    }

    @Test
    void theTimeZoneIsTheWallClockTheSlotsAreRead() {
        assertThat(between(slots("0 2 * * *", "Europe/Zurich"), "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z"))
                .containsExactly("2026-12-01T01:00:00Z");
        assertThat(between(slots("0 2 * * *", "America/New_York"), "2026-07-01T00:00:00Z", "2026-07-02T00:00:00Z"))
                .containsExactly("2026-07-01T06:00:00Z");
    }

    @Test
    void aSlotInTheSpringForwardGapRunsOnceAtTheFirstInstantAfterIt() {
        // Berlin, 2027-03-28: 02:00 CET becomes 03:00 CEST (01:00Z); 02:30 does not exist that night
        assertThat(between(slots("30 2 * * *", "Europe/Berlin"), "2027-03-27T00:00:00Z", "2027-03-29T12:00:00Z"))
                .containsExactly("2027-03-27T01:30:00Z", "2027-03-28T01:00:00Z", "2027-03-29T00:30:00Z");
        // every 15 minutes: the four slots of the missing hour and 03:00 itself are one run, at 03:00
        assertThat(between(slots("*/15 * * * *", "Europe/Berlin"), "2027-03-28T00:30:00Z", "2027-03-28T01:30:00Z"))
                .containsExactly("2027-03-28T00:45:00Z", "2027-03-28T01:00:00Z", "2027-03-28T01:15:00Z",
                        "2027-03-28T01:30:00Z");
        // New York, 2027-03-14: 02:00 EST becomes 03:00 EDT (07:00Z)
        assertThat(between(slots("30 2 * * *", "America/New_York"), "2027-03-13T12:00:00Z", "2027-03-15T12:00:00Z"))
                .containsExactly("2027-03-14T07:00:00Z", "2027-03-15T06:30:00Z");
    }

    @Test
    void aSlotInTheFallBackHourRunsOnce() {
        // Berlin, 2027-10-31: 03:00 CEST becomes 02:00 CET; 02:30 happens twice, at 00:30Z and 01:30Z
        assertThat(between(slots("30 2 * * *", "Europe/Berlin"), "2027-10-30T12:00:00Z", "2027-11-01T12:00:00Z"))
                .containsExactly("2027-10-31T00:30:00Z", "2027-11-01T01:30:00Z");
        // hourly: the repeated 02:00 is not a second slot, and no slot is lost either side of it
        assertThat(between(slots("0 * * * *", "Europe/Berlin"), "2027-10-30T23:30:00Z", "2027-10-31T02:30:00Z"))
                .containsExactly("2027-10-31T00:00:00Z", "2027-10-31T02:00:00Z");
        // New York, 2027-11-07: 01:30 happens at 05:30Z and 06:30Z
        assertThat(between(slots("30 1 * * *", "America/New_York"), "2027-11-06T12:00:00Z", "2027-11-08T12:00:00Z"))
                .containsExactly("2027-11-07T05:30:00Z", "2027-11-08T06:30:00Z");
        // asked from inside the second pass of the hour, the next slot is not the first pass again
        assertThat(slots("30 1 * * *", "America/New_York").next(Instant.parse("2027-11-07T06:00:00Z")))
                .contains(Instant.parse("2027-11-08T06:30:00Z"));
    }

    @Test
    void aZoneWhoseGapIsAtMidnightRunsTheMidnightSlotWhenTheDayBegins() {
        // Cairo, 2027-04-30 (last Friday of April): 00:00 EET becomes 01:00 EEST, at 22:00Z the day before
        assertThat(between(slots("@daily", "Africa/Cairo"), "2027-04-28T12:00:00Z", "2027-05-01T12:00:00Z"))
                .containsExactly("2027-04-28T22:00:00Z", "2027-04-29T22:00:00Z", "2027-04-30T21:00:00Z");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 0 2 * * *", "0 2 * *", "CRON_TZ=Europe/Berlin 0 2 * * *", "TZ=UTC 0 2 * *",
            "@every 5m", "@reboot", "61 * * * *", "0 2 * * mon-xyz", "", "0 0 30 2 *", "? * * * *"})
    void anythingElseIsRefusedWithTheFiveFieldForm(String expression) {
        CronSlots.Parsed parsed = CronSlots.parse(expression, "UTC");
        assertThat(parsed.slots()).as(expression).isNull();
        assertThat(parsed.problem().reason()).isEqualTo(CronSlots.INVALID_SCHEDULE);
        assertThat(parsed.problem().message()).contains("minute hour day-of-month month day-of-week", "0 2 * * *");
    }

    @Test
    void sixFieldsAndZonePrefixesSayWhatToDo() {
        assertThat(CronSlots.parse("0 0 2 * * *", "UTC").problem().message()).contains("6 fields", "drop the first");
        assertThat(CronSlots.parse("CRON_TZ=Europe/Berlin 0 2 * * *", "UTC").problem().message()).contains("set timeZone");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mars/Olympus", "CEST+2", "europe/nowhere", "UTC+99", "UTC+2", "+05:30", "GMT-3", "Z"})
    void anUnknownTimeZoneIsNamed(String zone) {
        CronSlots.Parsed parsed = CronSlots.parse("0 2 * * *", zone);
        assertThat(parsed.problem().reason()).isEqualTo(CronSlots.UNKNOWN_TIME_ZONE);
        assertThat(parsed.problem().message()).contains(zone, "IANA");
    }
}
