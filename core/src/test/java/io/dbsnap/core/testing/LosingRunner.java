package io.dbsnap.core.testing;

import io.dbsnap.core.process.Command;
import io.dbsnap.core.process.ForwardingProcess;
import io.dbsnap.core.process.LocalProcessRunner;
import io.dbsnap.core.process.ProcessRunner;
import io.dbsnap.core.process.RunningProcess;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Runs commands locally, but the last {@code lost} bytes of every stdout longer than 64 KiB never
 * arrive while the exit status is still the command's own: what a pod exec stream can do. With
 * {@code canLoseBytes} it says so, as the pod exec runner does, so dumps are checked at the source.
 */
public final class LosingRunner implements ProcessRunner {

    private static final int LONG_OUTPUT = 64 * 1024;

    private final LocalProcessRunner local = new LocalProcessRunner();
    private final int lost;
    private final boolean canLoseBytes;

    public LosingRunner(int lost, boolean canLoseBytes) {
        this.lost = lost;
        this.canLoseBytes = canLoseBytes;
    }

    @Override
    public boolean transportCanLoseBytes() {
        return canLoseBytes;
    }

    @Override
    public RunningProcess start(Command command) {
        RunningProcess process = local.start(command);
        return new ForwardingProcess(process) {
            private InputStream stdout;

            @Override
            public synchronized InputStream stdout() {
                if (stdout == null) {
                    stdout = new ByteArrayInputStream(readAllButTheEnd());
                }
                return stdout;
            }

            private byte[] readAllButTheEnd() {
                try {
                    byte[] all = delegate.stdout().readAllBytes();
                    return all.length <= LONG_OUTPUT ? all : Arrays.copyOf(all, Math.max(0, all.length - lost));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }
}
