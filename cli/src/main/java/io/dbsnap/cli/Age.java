package io.dbsnap.cli;

import java.time.Duration;
import java.time.Instant;

/** Ages as kubectl prints them: 45s, 12m, 3h10m, 5d, 2y. */
final class Age {

    private Age() {
    }

    static String since(String rfc3339, Instant now) {
        if (rfc3339 == null) {
            return "<unknown>";
        }
        return of(Duration.between(Instant.parse(rfc3339), now));
    }

    static String of(Duration age) {
        long s = Math.max(0, age.getSeconds());
        if (s < 120) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 10) {
            return m + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
        }
        if (m < 180) {
            return m + "m";
        }
        long h = m / 60;
        if (h < 8) {
            return h + "h" + (m % 60 == 0 ? "" : m % 60 + "m");
        }
        if (h < 48) {
            return h + "h";
        }
        long d = h / 24;
        if (d < 8) {
            return d + "d" + (h % 24 == 0 ? "" : h % 24 + "h");
        }
        return d < 365 * 2 ? d + "d" : d / 365 + "y" + (d % 365 == 0 ? "" : d % 365 + "d");
    }
}
