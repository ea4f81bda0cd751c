package io.dbsnap.core.mask;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.regex.Pattern;

/**
 * Applies the in-stream transforms to one value. {@code hash} and {@code fake} draw every output character
 * from HMAC-SHA-256(key, transform, value), so the output depends on the input and the key only: not on
 * the table or column, which is what keeps foreign keys and joins matching. An integer is hashed by a
 * keyed permutation of the integers of its length instead, so distinct keys stay distinct. One per thread.
 */
public final class ValueMasker {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String HEX = "0123456789abcdef";
    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,18})");

    private final Mac mac;
    private final DigitPermutation permutation;

    public ValueMasker(MaskKey key) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            // without a key no rule may derive from the input (MaskPlan refuses them): a random one is never used
            byte[] secret = key == null ? java.security.SecureRandom.getSeed(MaskKey.MIN_BYTES) : key.bytes();
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            permutation = new DigitPermutation(mac.doFinal("integer permutation".getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is part of every JDK", e);
        }
    }

    /** The masked value, or null for SQL NULL. {@code value} is never null: NULL stays NULL before this is asked. */
    public String apply(Transform transform, String value) {
        if (transform instanceof Transform.SetNull) {
            return null;
        }
        if (transform instanceof Transform.Fixed fixed) {
            return fixed.value();
        }
        if (transform instanceof Transform.Hash hash) {
            return hash(value, hash.integerMax());
        }
        if (transform instanceof Transform.Fake fake) {
            return Fakes.of(fake.kind(), random("fake:" + fake.kind(), value));
        }
        return value;
    }

    String hash(String value) {
        return hash(value, Long.MAX_VALUE);
    }

    /**
     * {@code integerMax}: the largest magnitude an integer column takes (an int's 2147483647), so a permuted
     * id still fits; an integer past it (only a type's minimum, whose magnitude is one more) stays as it is.
     */
    String hash(String value, long integerMax) {
        if (INTEGER.matcher(value).matches()) {
            boolean negative = value.charAt(0) == '-';
            String digits = negative ? value.substring(1) : value;
            if (digits.length() == 19 && digits.compareTo(Long.toString(Long.MAX_VALUE)) > 0
                    || Long.parseLong(digits) > integerMax) {
                return value;
            }
            return (negative ? "-" : "") + permutation.apply(digits, integerMax);
        }
        // drawn from the lower-cased value, cased like the original: ALICE@X.COM and alice@x.com stay equal
        // where the database compares without case (MySQL's _ci collations, citext)
        Random random = random("hash", value.toLowerCase(java.util.Locale.ROOT));
        if (UUID.matcher(value).matches()) {
            boolean upper = value.equals(value.toUpperCase(java.util.Locale.ROOT));
            StringBuilder out = new StringBuilder(value.length());
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                // the dashes, the version and the variant stay: it is still a UUID of its kind
                boolean kept = c == '-' || i == 14 || i == 19;
                char hex = HEX.charAt(random.next(16));
                out.append(kept ? c : upper ? Character.toUpperCase(hex) : hex);
            }
            return out.toString();
        }
        if (EMAIL.matcher(value).matches()) {
            int tld = value.lastIndexOf('.');
            // the top-level domain stays, so an address still looks like one from where it came
            return shaped(value.substring(0, tld), random) + value.substring(tld);
        }
        return shaped(value, random);
    }

    /** Letters stay letters of their case, digits digits (a number keeps its first digit non-zero), the rest stays. */
    private static String shaped(String value, Random random) {
        StringBuilder out = new StringBuilder(value.length());
        boolean afterDigit = false;
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isDigit(c)) {
                // every script's digits: Arabic-Indic or full-width ones would otherwise pass through as they are
                boolean leading = !afterDigit && Character.digit(c, 10) != 0;
                out.append(leading ? (char) ('1' + random.next(9)) : (char) ('0' + random.next(10)));
                afterDigit = true;
                continue;
            }
            afterDigit = false;
            if (Character.isLetter(c)) {
                char letter = (char) ('a' + random.next(26));
                out.append(Character.isUpperCase(c) ? Character.toUpperCase(letter) : letter);
            } else {
                out.appendCodePoint(c);
            }
        }
        return out.toString();
    }

    private Random random(String purpose, String value) {
        mac.update(purpose.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        long seed = 0;
        for (int i = 0; i < 8; i++) {
            seed = (seed << 8) | (digest[i] & 0xff);
        }
        long salt = 0;
        for (int i = 8; i < 16; i++) {
            salt = (salt << 8) | (digest[i] & 0xff);
        }
        return new Random(seed, salt);
    }

    /**
     * SplitMix64 over the digest: fixed here rather than borrowed from the JDK, so the same key and value
     * give the same output on every Java version, and a pull next year matches one today.
     */
    static final class Random {
        private long state;
        private final long gamma;

        Random(long seed, long salt) {
            this.state = seed;
            this.gamma = salt | 1;
        }

        long nextLong() {
            long z = (state += gamma + 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        /** Uniform in [0, bound), bound small. */
        int next(int bound) {
            return (int) Long.remainderUnsigned(nextLong(), bound);
        }
    }
}
