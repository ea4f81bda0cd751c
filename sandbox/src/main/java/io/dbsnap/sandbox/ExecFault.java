package io.dbsnap.sandbox;

/**
 * A fault the sandbox's exec can inject, as networks and API servers do: the connection cut after
 * some bytes of stdout, with no exit status (what a dropped exec stream looks like to the client).
 */
public record ExecFault(long cutAfterStdoutBytes) {

    public static final ExecFault NONE = new ExecFault(-1);

    public static ExecFault cutAfter(long bytes) {
        return new ExecFault(bytes);
    }

    boolean cuts() {
        return cutAfterStdoutBytes >= 0;
    }
}
