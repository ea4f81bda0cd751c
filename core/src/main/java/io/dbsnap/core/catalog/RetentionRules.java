package io.dbsnap.core.catalog;

import java.time.Duration;
import java.util.Optional;

/**
 * A retention policy, with restic's and K8up's names and meaning: each {@code keep*} rule keeps the
 * newest snapshot of each of its last N periods that have one; {@code maxAge} is applied after the
 * rules. A rule of 0 is no rule; with no rule at all, every Succeeded snapshot is kept (up to maxAge).
 */
public record RetentionRules(int keepLast, int keepHourly, int keepDaily, int keepWeekly, int keepMonthly,
                             int keepYearly, Optional<Duration> maxAge, int keepFailed) {

    public RetentionRules {
        for (int n : new int[]{keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly, keepFailed}) {
            if (n < 0) {
                throw new IllegalArgumentException("a retention count must not be negative, not " + n);
            }
        }
        maxAge.filter(age -> age.isNegative() || age.isZero()).ifPresent(age -> {
            throw new IllegalArgumentException("maxAge must be longer than 0, not " + age);
        });
    }

    public static RetentionRules keepLast(int n) {
        return new RetentionRules(n, 0, 0, 0, 0, 0, Optional.empty(), 0);
    }

    boolean hasKeepRule() {
        return keepLast + keepHourly + keepDaily + keepWeekly + keepMonthly + keepYearly > 0;
    }

    /** "last 7, daily 7, max age P400D" — for messages. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        append(text, "last", keepLast);
        append(text, "hourly", keepHourly);
        append(text, "daily", keepDaily);
        append(text, "weekly", keepWeekly);
        append(text, "monthly", keepMonthly);
        append(text, "yearly", keepYearly);
        maxAge.ifPresent(age -> text.append(text.isEmpty() ? "" : ", ").append("max age ").append(age.toHours())
                .append("h"));
        return text.isEmpty() ? "keep all" : text.toString();
    }

    private static void append(StringBuilder text, String rule, int n) {
        if (n > 0) {
            text.append(text.isEmpty() ? "" : ", ").append(rule).append(' ').append(n);
        }
    }
}
