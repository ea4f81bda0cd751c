package io.dbsnap.core.process;

import io.dbsnap.core.DbsnapException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs commands as processes on this machine (the laptop, or the Job's own container). */
public final class LocalProcessRunner implements ProcessRunner {

    /** Enough of stderr to explain a failure; a chatty tool cannot grow memory. */
    static final int STDERR_KEEP = 16 * 1024;

    @Override
    public RunningProcess start(Command command) {
        ProcessBuilder builder = new ProcessBuilder(command.argv());
        builder.environment().putAll(command.env());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new DbsnapException(command.program() + " could not be started: is it installed and on PATH? ("
                    + e.getMessage() + ")", e);
        }
        return new LocalProcess(process, new SecretScrubber(command.secrets()));
    }

    private static final class LocalProcess implements RunningProcess {
        private final Process process;
        private final SecretScrubber scrubber;
        private final StderrTail stderr;
        private final ShutdownGuard guard;

        LocalProcess(Process process, SecretScrubber scrubber) {
            this.process = process;
            this.scrubber = scrubber;
            this.stderr = new StderrTail(process.getErrorStream());
            this.stderr.start();
            // a dump or restore never outlives a stopped dbsnap (a pg_restore reading a file would go on)
            this.guard = ShutdownGuard.register(this::kill);
        }

        @Override
        public OutputStream stdin() {
            return process.getOutputStream();
        }

        @Override
        public InputStream stdout() {
            return process.getInputStream();
        }

        @Override
        public int waitFor() throws InterruptedException {
            int exit = process.waitFor();
            stderr.join(TimeUnit.SECONDS.toMillis(5));
            return exit;
        }

        @Override
        public String stderrTail() {
            return scrubber.scrub(stderr.text());
        }

        @Override
        public void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }

        @Override
        public void close() {
            guard.close();
            if (process.isAlive()) {
                kill();
            }
            closeQuietly(process.getOutputStream());
            closeQuietly(process.getInputStream());
        }

        private static void closeQuietly(AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // the process is gone; nothing left to release
            }
        }
    }

    /** Drains stderr on its own thread (a full pipe would stall the command) and keeps its end. */
    private static final class StderrTail extends Thread {
        private final InputStream in;
        private final byte[] ring = new byte[STDERR_KEEP];
        private long written;

        StderrTail(InputStream in) {
            super("stderr-drain");
            setDaemon(true);
            this.in = in;
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

        synchronized String text() {
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
}
