package io.dbsnap.operator.schedule;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How far a schedule moves each of its slots: a fixed offset under the bound, taken from the
 * schedule's uid, so one schedule is regular and two hundred at @daily spread over the bound.
 */
public final class Jitter {

    private static final Pattern PART = Pattern.compile("([0-9]+)([smh])");

    private Jitter() {
    }

    /** The offset in [0, bound) for {@code uid}, to the second; zero without a bound. */
    public static Duration offset(String uid, Duration bound) {
        if (bound.getSeconds() <= 1 || uid == null) {
            return Duration.ZERO;
        }
        long hash = 0;
        byte[] digest = sha256(uid);
        for (int i = 0; i < 8; i++) {
            hash = (hash << 8) | (digest[i] & 0xff);
        }
        return Duration.ofSeconds(Math.floorMod(hash, bound.getSeconds()));
    }

    /** {@code 15m}, {@code 1h30m}, {@code 90s} (the CRD's pattern); empty or null is no jitter. */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(text.strip());
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
            end = m.end();
        }
        if (end != text.strip().length()) {
            throw new IllegalArgumentException("jitter " + text + " is not a duration such as 90s, 15m or 1h30m");
        }
        return total;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
