package io.dbsnap.core.process;

import io.dbsnap.core.DbsnapException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/** Starts commands: as local processes today, and in a database pod through the Kubernetes API. */
public interface ProcessRunner {

    RunningProcess start(Command command);

    /**
     * Starts a command that will read exactly {@code stdinLength} bytes on stdin ({@code -1}: not known).
     * A pipe ends its input by closing; a transport that cannot (pod exec) uses the count instead.
     */
    default RunningProcess start(Command command, long stdinLength) {
        return start(command);
    }

    /**
     * Whether a command's stdout can arrive shorter than it was written while the command still
     * reports success. A local pipe cannot; a pod exec stream can, so dumps run through it are
     * counted and hashed at the source as well.
     */
    default boolean transportCanLoseBytes() {
        return false;
    }

    /** What a command reads on stdin, written while its output is read (so neither side can stall). */
    @FunctionalInterface
    interface Stdin {
        /**
         * Writes the input: an {@link IOException} is a failure to write to the command, a
         * {@link DbsnapException} one of the input's own source (then it is what {@code run} throws).
         */
        void writeTo(OutputStream out) throws IOException;

        /** How many bytes {@link #writeTo} writes, or {@code -1} when that is known only at the end. */
        default long length() {
            return -1;
        }

        /** Bytes written by {@code body}, whose count is known before the first one. */
        static Stdin sized(long length, Stdin body) {
            return new Stdin() {
                @Override
                public void writeTo(OutputStream out) throws IOException {
                    body.writeTo(out);
                }

                @Override
                public long length() {
                    return length;
                }
            };
        }

        static Stdin of(byte[] bytes) {
            return sized(bytes.length, out -> out.write(bytes));
        }

        static Stdin of(Path file) {
            long size;
            try {
                size = Files.size(file);
            } catch (IOException e) {
                throw new DbsnapException("cannot read " + file + ": " + e.getMessage(), e);
            }
            return sized(size, out -> {
                try (InputStream in = Files.newInputStream(file)) {
                    in.transferTo(out);
                }
            });
        }
    }

    /** Runs a command that reads nothing and prints little; returns its stdout, fails on a non-zero exit. */
    default String run(Command command, String doing) {
        return run(command, new byte[0], doing);
    }

    /** Runs a command with a small stdin; returns its stdout, fails on a non-zero exit. */
    default String run(Command command, byte[] stdin, String doing) {
        return run(command, Stdin.of(stdin), doing);
    }

    /**
     * Runs a command fed from {@code stdin}, which may be large; returns its stdout. It succeeds only
     * when the command exited 0 and every byte of stdin was written: a command that stops reading
     * and still exits 0 has not seen all its input, and that is a failure, not a success.
     */
    default String run(Command command, Stdin stdin, String doing) {
        try (RunningProcess process = start(command, stdin.length())) {
            AtomicReference<Exception> writeFailure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try (OutputStream in = process.stdin()) {
                    stdin.writeTo(in);
                } catch (Exception e) {
                    writeFailure.set(e);
                    // a command still waiting for the rest (a pod's head -c N) would wait forever
                    process.kill();
                }
            }, "stdin-" + command.program());
            writer.setDaemon(true);
            writer.start();
            byte[] out;
            try {
                out = process.stdout().readAllBytes();
                process.awaitSuccess(doing);
            } catch (RuntimeException | IOException e) {
                writer.join();
                if (writeFailure.get() instanceof DbsnapException source) {
                    // the input failed first, and the command was stopped for it: that is the reason
                    source.addSuppressed(e);
                    throw source;
                }
                if (writeFailure.get() != null) {
                    throw new DbsnapException(doing + " failed: its input could not be written ("
                            + writeFailure.get().getMessage() + "), and then: " + e.getMessage(), e);
                }
                throw e;
            }
            writer.join();
            if (writeFailure.get() instanceof DbsnapException source) {
                throw source;
            }
            if (writeFailure.get() != null) {
                throw new DbsnapException(doing + " failed: " + command.program() + " exited 0 but did not read all "
                        + "of its input (" + writeFailure.get().getMessage() + ")", writeFailure.get());
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DbsnapException(doing + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DbsnapException(doing + " was interrupted");
        }
    }
}
