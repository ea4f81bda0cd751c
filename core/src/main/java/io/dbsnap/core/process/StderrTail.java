package io.dbsnap.core.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Drains stderr (of a process or a pod exec) on its own thread (a full pipe would stall the command) and keeps its end. */
public final class StderrTail extends Thread {
    private final InputStream in;
    private final byte[] ring;
    private long written;

    public StderrTail(InputStream in, int keep) {
        super("stderr-drain");
        setDaemon(true);
        this.in = in;
        this.ring = new byte[keep];
    }

    @Override
    public void run() {
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                append(buffer, n);
            }
        } catch (IOException ignored) {
            // stream closed with the process
        }
    }

    private synchronized void append(byte[] buffer, int n) {
        for (int i = 0; i < n; i++) {
            ring[(int) (written++ % ring.length)] = buffer[i];
        }
    }

    public synchronized String text() {
        int length = (int) Math.min(written, ring.length);
        byte[] out = new byte[length];
        long start = written - length;
        for (int i = 0; i < length; i++) {
            out[i] = ring[(int) ((start + i) % ring.length)];
        }
        String text = new String(out, StandardCharsets.UTF_8);
        // once the ring wrapped, its first line is a fragment, perhaps of a secret the scrubber would miss
        if (written > ring.length) {
            int newline = text.indexOf('\n');
            text = newline < 0 ? "" : text.substring(newline + 1);
        }
        return text;
    }
}
