package io.dbsnap.core.process;

import io.dbsnap.core.DbsnapException;

/** A command that exited non-zero (or was killed); the message carries its last stderr line. */
public class ProcessFailedException extends DbsnapException {

    private final int exitStatus;

    public ProcessFailedException(String doing, int exitStatus, String stderr) {
        super(doing + " failed (" + describe(exitStatus) + ")" + lastLine(stderr));
        this.exitStatus = exitStatus;
    }

    public int exitStatus() {
        return exitStatus;
    }

    private static String describe(int exit) {
        // the JVM reports a process killed by signal N as 128 + N
        return exit > 128 && exit < 160 ? "killed by signal " + (exit - 128) : "exit status " + exit;
    }

    static String lastLine(String stderr) {
        if (stderr == null) {
            return "";
        }
        String[] lines = stderr.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            if (!line.isEmpty()) {
                return ": " + line;
            }
        }
        return "";
    }
}
