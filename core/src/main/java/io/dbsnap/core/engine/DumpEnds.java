package io.dbsnap.core.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The first and last bytes of a dump as it arrived, and its length: enough for an engine to check
 * its format's header and end marker without holding the dump.
 */
public record DumpEnds(byte[] head, byte[] tail, long size) {

    /** How many bytes of each end are kept. */
    public static final int KEEP = 128;

    public DumpEnds {
        head = head.clone();
        tail = tail.clone();
    }

    public boolean headStartsWith(String ascii) {
        byte[] prefix = ascii.getBytes(StandardCharsets.ISO_8859_1);
        return head.length >= prefix.length && Arrays.equals(head, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The big-endian unsigned number of {@code length} bytes at {@code offset} of the head, or -1 past its end. */
    public long headNumber(int offset, int length) {
        if (offset + length > head.length) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            value = (value << 8) | (head[offset + i] & 0xff);
        }
        return value;
    }

    /** The tail as Latin-1 text, each byte one character. */
    public String tailText() {
        return new String(tail, StandardCharsets.ISO_8859_1);
    }

    /** Collects the ends of a stream as it passes. */
    public static final class Recorder {
        private final byte[] head = new byte[KEEP];
        private final byte[] ring = new byte[KEEP];
        private long size;

        public void update(byte[] buffer, int offset, int length) {
            for (int i = 0; i < length && size + i < KEEP; i++) {
                head[(int) size + i] = buffer[offset + i];
            }
            // only the last KEEP bytes of this chunk can end up in the tail
            int from = Math.max(0, length - KEEP);
            for (int i = from; i < length; i++) {
                ring[(int) ((size + i) % KEEP)] = buffer[offset + i];
            }
            size += length;
        }

        public DumpEnds ends() {
            int headLength = (int) Math.min(size, KEEP);
            int tailLength = (int) Math.min(size, KEEP);
            byte[] tail = new byte[tailLength];
            for (int i = 0; i < tailLength; i++) {
                tail[i] = ring[(int) ((size - tailLength + i) % KEEP)];
            }
            return new DumpEnds(Arrays.copyOf(head, headLength), tail, size);
        }
    }
}
