package io.dbsnap.sandbox;

/**
 * A fault the sandbox's exec can inject, as networks and databases do, once stdout has carried some
 * bytes: the connection cut with no exit status (what a dropped exec stream looks like to the
 * client), or the command killed, which the API reports as a non-zero exit status.
 */
public record ExecFault(Kind kind, long afterStdoutBytes) {

    public enum Kind { NONE, CUT, KILL }

    public static final ExecFault NONE = new ExecFault(Kind.NONE, -1);

    public static ExecFault cutAfter(long bytes) {
        return new ExecFault(Kind.CUT, bytes);
    }

    public static ExecFault killAfter(long bytes) {
        return new ExecFault(Kind.KILL, bytes);
    }

    boolean strikes(long sentBefore, int next) {
        return kind != Kind.NONE && sentBefore + next > afterStdoutBytes;
    }
}
