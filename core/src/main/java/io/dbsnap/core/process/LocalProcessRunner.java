package io.dbsnap.core.process;

import io.dbsnap.core.DbsnapException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/** Runs commands as processes on this machine (the laptop, or the Job's own container). */
public final class LocalProcessRunner implements ProcessRunner {

    /** Enough of stderr to explain a failure; a chatty tool cannot grow memory. */
    static final int STDERR_KEEP = 16 * 1024;
    /** dbsnap's own secrets, which no tool it runs needs: the masking key. */
    static final java.util.Set<String> WITHHELD = java.util.Set.of(io.dbsnap.core.mask.MaskKey.ENVIRONMENT,
            io.dbsnap.core.crypto.AgeKeys.IDENTITY_ENVIRONMENT);

    @Override
    public RunningProcess start(Command command) {
        ProcessBuilder builder = new ProcessBuilder(command.argv());
        builder.environment().keySet().removeAll(WITHHELD);
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
            this.stderr = new StderrTail(process.getErrorStream(), STDERR_KEEP);
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
        public String unscrubbedStderrTail() {
            return stderr.text();
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
}
