package io.dbsnap.core.process;

import io.dbsnap.core.DbsnapException;

import java.util.List;

/** A command that exited non-zero (or was killed); the message carries its last stderr line. */
public class ProcessFailedException extends DbsnapException {

    /** What the tool printed before secrets were masked: read by {@link #toolSaid}, never shown. */
    private final transient String unscrubbed;

    public ProcessFailedException(String doing, int exitStatus, String stderr) {
        this(doing, exitStatus, stderr, stderr);
    }

    /** {@code stderr} scrubbed goes into the message; {@code unscrubbed} is only searched. */
    public ProcessFailedException(String doing, int exitStatus, String stderr, String unscrubbed) {
        super(doing + " failed (" + describe(exitStatus) + ")" + lastLine(stderr));
        this.unscrubbed = unscrubbed == null ? "" : unscrubbed;
    }

    /**
     * Whether the tool's own words contain {@code phrase}, as it printed them: a weak password masked in
     * the message ("data", "1") would otherwise hide the error that tells a missing database apart.
     */
    public boolean toolSaid(String phrase) {
        return unscrubbed.contains(phrase);
    }

    private static String describe(int exit) {
        // the JVM reports a process killed by signal N as 128 + N
        return exit > 128 && exit < 160 ? "killed by signal " + (exit - 128) : "exit status " + exit;
    }

    /** An indented line, or PostgreSQL's DETAIL, HINT and CONTEXT, which explain the ERROR line above them. */
    private static boolean continues(String line) {
        return Character.isWhitespace(line.charAt(0)) || line.startsWith("DETAIL:") || line.startsWith("HINT:")
                || line.startsWith("CONTEXT:");
    }

    /**
     * The tool's last message on one line: its last unindented line plus the indented lines that
     * continue it (psql puts "Is the server running...?" under the actual error, and the key that
     * collided in a DETAIL line).
     */
    static String lastLine(String stderr) {
        if (stderr == null) {
            return "";
        }
        List<String> lines = stderr.lines().filter(l -> !l.isBlank()).toList();
        int start = lines.size() - 1;
        while (start > 0 && continues(lines.get(start))) {
            start--;
        }
        if (start < 0) {
            return "";
        }
        return ": " + String.join(" ", lines.subList(start, lines.size()).stream().map(String::strip).toList());
    }
}
