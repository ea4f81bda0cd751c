package io.dbsnap.core.process;

import io.dbsnap.core.DbsnapException;

import java.io.InputStream;
import java.io.OutputStream;

/** A started command: its streams, its exit status, and what it printed on stderr (scrubbed). */
public interface RunningProcess extends AutoCloseable {

    OutputStream stdin();

    InputStream stdout();

    /** Waits for the exit status. */
    int waitFor() throws InterruptedException;

    /** The end of what the command wrote on stderr, with every secret replaced. */
    String stderrTail();

    /**
     * The same tail before the secrets were replaced, only for reading the tool's own report (a length,
     * a checksum), which a masked secret such as "1" or "a" would garble; never for a message, a log or a status.
     */
    String unscrubbedStderrTail();

    /** Ends the command at once; used when the other end of the pipeline failed. */
    void kill();

    /** Closes the streams and kills the command if it still runs. */
    @Override
    void close();

    /** Waits for a zero exit status; anything else fails with the command's own last words. */
    default void awaitSuccess(String doing) {
        int exit;
        try {
            exit = waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new DbsnapException(doing + " was interrupted");
        }
        if (exit != 0) {
            throw new ProcessFailedException(doing, exit, stderrTail(), unscrubbedStderrTail());
        }
    }
}
