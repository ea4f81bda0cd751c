package io.dbsnap.core;

/**
 * A failure a person can act on. Its message is one line that says what went wrong and, where it
 * can, what to do; the command line prints it without a stack trace.
 */
public class DbsnapException extends RuntimeException {

    public DbsnapException(String message) {
        super(message);
    }

    public DbsnapException(String message, Throwable cause) {
        super(message, cause);
    }
}
