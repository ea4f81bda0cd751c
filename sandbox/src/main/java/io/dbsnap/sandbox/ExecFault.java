package io.dbsnap.sandbox;

/**
 * A fault the sandbox's exec can inject, as networks and databases do, once stdout has carried some
 * bytes: the connection cut with no exit status (what a dropped exec stream looks like to the
 * client), the command killed, which the API reports as a non-zero exit status, or the last bytes
 * of a long stdout lost while the exec still reports the command's own exit status (success); or,
 * for a command fed on stdin, the connection cut or the command killed once stdin has carried some bytes.
 */
public record ExecFault(Kind kind, long afterStdoutBytes, Runnable beforeStrike) {

    public enum Kind { NONE, CUT, KILL, DROP_TAIL, CUT_STDIN, KILL_STDIN, PAUSE_STDIN }

    /** Outputs up to this long (version probes, small queries) are left whole by {@link #dropTail}. */
    static final long LONG_OUTPUT = 64 * 1024;

    public static final ExecFault NONE = new ExecFault(Kind.NONE, -1, () -> { });

    public static ExecFault cutAfter(long bytes) {
        return new ExecFault(Kind.CUT, bytes, () -> { });
    }

    public static ExecFault killAfter(long bytes) {
        return new ExecFault(Kind.KILL, bytes, () -> { });
    }

    /** The connection cut once the command has been sent {@code bytes} on stdin (a restore's stream). */
    public static ExecFault cutAfterStdin(long bytes) {
        return new ExecFault(Kind.CUT_STDIN, bytes, () -> { });
    }

    /** The command killed once it has been sent {@code bytes} on stdin. */
    public static ExecFault killAfterStdin(long bytes) {
        return new ExecFault(Kind.KILL_STDIN, bytes, () -> { });
    }

    /**
     * The stream to the command stops once it has been sent {@code bytes} on stdin, for as long as {@code pause}
     * runs (a restore caught mid-stream), then goes on whole.
     */
    public static ExecFault pauseAfterStdin(long bytes, Runnable pause) {
        return new ExecFault(Kind.PAUSE_STDIN, bytes, pause);
    }

    /** The same fault, with {@code check} run just before it strikes (to see what the other side has done by then). */
    public ExecFault checkingFirst(Runnable check) {
        return new ExecFault(kind, afterStdoutBytes, check);
    }

    /**
     * The last {@code bytes} of every stdout longer than {@value #LONG_OUTPUT} bytes never arrive; the
     * exec ends normally, with the command's exit status.
     */
    public static ExecFault dropTail(int bytes) {
        return new ExecFault(Kind.DROP_TAIL, bytes, () -> { });
    }

    boolean strikes(long sentBefore, int next) {
        return (kind == Kind.CUT || kind == Kind.KILL) && sentBefore + next > afterStdoutBytes;
    }

    boolean strikesStdin(long receivedBefore, int next) {
        boolean crosses = receivedBefore + next > afterStdoutBytes;
        return switch (kind) {
            case CUT_STDIN, KILL_STDIN -> crosses;
            case PAUSE_STDIN -> crosses && receivedBefore <= afterStdoutBytes; // once: the stream goes on after it
            default -> false;
        };
    }
}
