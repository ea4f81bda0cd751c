package io.dbsnap.core.pipeline;

import java.io.IOException;

/**
 * Passes a stream on while holding back its last {@code capacity} bytes, for a tool that ends its
 * output with a marker of its own (redis-cli's): only once the tool has exited is it known whether
 * they are the dump's or the marker.
 */
final class HeldTail {

    /** Where the bytes that are known to be the dump's go. */
    interface Sink {
        void write(byte[] buffer, int offset, int length) throws IOException;
    }

    private final byte[] held;
    private final Sink sink;
    private int length;

    HeldTail(int capacity, Sink sink) {
        this.held = new byte[capacity];
        this.sink = sink;
    }

    /** Takes the next bytes of the stream; passes on all but the last {@code capacity} that came so far. */
    void write(byte[] buffer, int offset, int count) throws IOException {
        int passing = length + count - held.length;
        if (passing <= 0) {
            System.arraycopy(buffer, offset, held, length, count);
            length += count;
            return;
        }
        int fromHeld = Math.min(passing, length);
        if (fromHeld > 0) {
            sink.write(held, 0, fromHeld);
        }
        int fromBuffer = passing - fromHeld;
        if (fromBuffer > 0) {
            sink.write(buffer, offset, fromBuffer);
        }
        int stillHeld = length - fromHeld;
        System.arraycopy(held, fromHeld, held, 0, stillHeld);
        System.arraycopy(buffer, offset + fromBuffer, held, stillHeld, count - fromBuffer);
        length = stillHeld + count - fromBuffer;
    }

    /** The bytes held back now: the stream's last ones, at most {@code capacity}. */
    byte[] held() {
        return java.util.Arrays.copyOf(held, length);
    }

    /** At the stream's end: passes on the held bytes but the last {@code dropped}, which were no part of the dump. */
    void finish(int dropped) throws IOException {
        if (dropped < 0 || dropped > length) {
            throw new IllegalArgumentException("cannot drop " + dropped + " of " + length + " held bytes");
        }
        if (length - dropped > 0) {
            sink.write(held, 0, length - dropped);
        }
        length = 0;
    }
}
