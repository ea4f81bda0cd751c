package io.dbsnap.core.mask;

/**
 * A keyed permutation of the integers with the same number of digits (0-9, 10-99, ...) that also fit the
 * column's type (an int's 10-digit values stop at 2147483647), sign kept: a balanced Feistel network over
 * the smallest power of two that holds them, cycle-walking until the result is in range. A permutation
 * never maps two ids to one, so a hashed primary key stays unique and a hashed foreign key still finds it.
 */
final class DigitPermutation {

    private static final int ROUNDS = 8;
    private static final long[] POWERS = new long[19];

    static {
        POWERS[0] = 1;
        for (int i = 1; i < POWERS.length; i++) {
            POWERS[i] = POWERS[i - 1] * 10;
        }
    }

    private final long[] roundKeys = new long[ROUNDS];

    /** {@code secret}: bytes derived from the masking key. */
    DigitPermutation(byte[] secret) {
        for (int round = 0; round < ROUNDS; round++) {
            long key = 0;
            for (int i = 0; i < 8; i++) {
                key = (key << 8) | (secret[(round * 4 + i) % secret.length] & 0xff);
            }
            roundKeys[round] = key ^ (0x9E3779B97F4A7C15L * (round + 1));
        }
    }

    /**
     * {@code digits}: an integer's magnitude without sign or leading zeros, at most 19 digits, no larger
     * than {@code max} (the largest magnitude the column's type takes); another of as many digits, also
     * no larger than {@code max}.
     */
    String apply(String digits, long max) {
        int n = digits.length();
        long low = n == 1 ? 0 : POWERS[n - 1];
        long high = n == 19 ? Long.MAX_VALUE : Math.min(max, POWERS[n] - 1);
        long value = Long.parseLong(digits);
        if (value < low || value > high) {
            throw new IllegalArgumentException(digits + " is outside " + low + ".." + high);
        }
        long size = high - low + 1; // at least 1, below 2^63
        long x = value - low;
        int bits = Math.max(2, 64 - Long.numberOfLeadingZeros(size - 1));
        bits += bits & 1; // two equal halves
        do {
            x = feistel(x, bits);
        } while (Long.compareUnsigned(x, size) >= 0);
        return Long.toString(x + low);
    }

    private long feistel(long x, int bits) {
        int half = bits / 2;
        long mask = half == 32 ? 0xFFFFFFFFL : (1L << half) - 1;
        long left = x >>> half;
        long right = x & mask;
        for (long key : roundKeys) {
            long next = left ^ (mix(right ^ key) & mask);
            left = right;
            right = next;
        }
        return (left << half) | right;
    }

    /** SplitMix64's finalizer: every input bit reaches every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
