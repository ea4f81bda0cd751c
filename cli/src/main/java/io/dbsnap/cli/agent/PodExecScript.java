package io.dbsnap.cli.agent;

import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.process.Command;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * How a {@link Command} runs in a pod. An exec request carries its arguments in the URL, where API
 * server audit logs keep them and proxies cap their length, so the URL holds only a small {@code sh}
 * prelude; the command travels on stdin: its environment (credentials) as {@code NAME=value} lines
 * ended by an empty line, then each argument as lines ended by a boundary line. The prelude reads
 * them (the shell's {@code read} takes one byte at a time from a pipe, so nothing past them is
 * consumed), fills what is still unset from the database image's own variables, and execs the command.
 */
public final class PodExecScript {

    static final String SCRIPT_NAME = "dbsnap-exec";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Command command;
    private final String boundary;
    private final long stdinLength;
    private final boolean terminal;

    private PodExecScript(Command command, String boundary, long stdinLength, boolean terminal) {
        this.command = command;
        this.boundary = boundary;
        this.stdinLength = stdinLength;
        this.terminal = terminal;
    }

    /** The command with a boundary line that none of its arguments holds; it reads nothing on stdin. */
    public static PodExecScript of(Command command) {
        while (true) {
            byte[] bytes = new byte[12];
            RANDOM.nextBytes(bytes);
            String boundary = "--dbsnap-" + HexFormat.of().formatHex(bytes);
            if (command.argv().stream().noneMatch(a -> a.contains(boundary))) {
                return new PodExecScript(command, boundary, -1, false);
            }
        }
    }

    /**
     * The same command fed exactly {@code length} bytes after the prelude, then end of input: exec's
     * stdin cannot be closed (the v4 protocol has no way to say so), so {@code head -c} ends it in the
     * pod. A command that exits without reading all of it fails, even with status 0.
     */
    public PodExecScript feeding(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("the stdin length must be known");
        }
        if (terminal) {
            throw new IllegalStateException("a terminal's input has no length");
        }
        return new PodExecScript(command, boundary, length, false);
    }

    /**
     * The same command for an exec with a terminal ({@code tty=true}), whose line discipline would echo
     * the prelude, credentials included, back to the output; {@code term} is the terminal's type. The prelude first turns echo off and prints
     * {@link #readyMarker()}; the caller sends {@link #stdinPrelude()} only once it has seen the marker.
     * The prelude then puts the terminal's settings back and prints {@link #startedMarker()}: input sent
     * before that would reach the command as raw bytes (a Ctrl-D not meaning end of input).
     */
    public PodExecScript onTerminal(String term) {
        if (stdinLength >= 0) {
            throw new IllegalStateException("a fed command has no terminal");
        }
        // a kubelet sets no TERM: without one, psql's pager and line editing think the terminal is dumb
        Map<String, String> env = new java.util.LinkedHashMap<>(command.env());
        env.putIfAbsent("TERM", term);
        return new PodExecScript(new Command(command.argv(), env, command.secrets()), boundary, -1, true);
    }

    /** What a terminal prelude prints, alone on its line, once echo is off and it waits for the prelude. */
    public byte[] readyMarker() {
        return (boundary + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** What a terminal prelude prints, before its line end, once the terminal is the command's. */
    public byte[] startedMarker() {
        return (boundary + ".").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code sh -c PRELUDE dbsnap-exec BOUNDARY [LENGTH]}: nothing secret, and short whatever the command. */
    public List<String> argv(Map<String, String> podDefaults) {
        StringBuilder script = new StringBuilder();
        if (terminal) {
            // raw: no echo of what follows, and every byte read as sent (no line length limit, no CR mapping)
            script.append("dbsnap_tty=$(stty -g 2>/dev/null) && stty raw -echo || { echo 'dbsnap-exec: the container ")
                    .append("cannot set up its terminal (no stty(1)?); run without a terminal: --no-tty' >&2; ")
                    .append("exit 126; }; printf '%s\\n' \"$1\"; ");
        }
        script.append("while IFS= read -r kv && [ -n \"$kv\" ]; do export \"$kv\"; done; ");
        podDefaults.forEach((name, expression) -> {
            requireName(name);
            script.append(": \"${").append(name).append(":=").append(expression).append("}\"; export ")
                    .append(name).append("; ");
        });
        script.append("b=$1; len=${2:-}; set --; a=; n=0; while IFS= read -r l; do ")
                .append("if [ \"$l\" = \"$b\" ]; then set -- \"$@\" \"${a%?}\"; a=; n=$((n + 1)); ")
                .append("elif [ \"$l\" = \"$b.\" ]; then break; else a=\"$a$l\n\"; fi; done; ")
                .append("[ \"$n\" -gt 0 ] || { echo 'dbsnap-exec: no command on stdin' >&2; exit 126; }; ");
        if (terminal) {
            script.append("stty \"$dbsnap_tty\"; printf '%s.\\n' \"$b\"; ");
        }
        if (stdinLength < 0) {
            script.append("exec \"$@\"");
            return List.of("sh", "-c", script.toString(), SCRIPT_NAME, boundary);
        }
        // what the command left unread is counted after it exits: a short read is a failure, not a success
        script.append("command -v head >/dev/null 2>&1 || { echo 'dbsnap-exec: the container has no head(1) to read ")
                .append("exactly '\"$len\"' bytes of input' >&2; exit 127; }; ")
                .append("head -c \"$len\" | { \"$@\"; rc=$?; left=$(wc -c | tr -d ' '); ")
                .append("if [ \"$left\" != 0 ]; then echo \"dbsnap-exec: $1 exited $rc with $left of its $len ")
                .append("input bytes unread\" >&2; [ \"$rc\" != 0 ] || rc=65; fi; exit \"$rc\"; }");
        return List.of("sh", "-c", script.toString(), SCRIPT_NAME, boundary, Long.toString(stdinLength));
    }

    /**
     * What the prelude reads first on stdin: the environment, an empty line, then each argument
     * followed by the boundary, and the boundary with a dot after the last one.
     */
    public byte[] stdinPrelude() {
        StringBuilder lines = new StringBuilder();
        command.env().forEach((name, value) -> {
            requireName(name);
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                throw new DbsnapException("the value of " + name + " has a line break, which cannot be passed "
                        + "into a pod; use a value without one");
            }
            lines.append(name).append('=').append(value).append('\n');
        });
        lines.append('\n');
        for (String arg : command.argv()) {
            if (arg.indexOf('\0') >= 0) {
                throw new DbsnapException("an argument of " + command.program() + " holds a NUL byte, which a shell "
                        + "cannot pass on");
            }
            // each line of the argument ends in a newline, which the prelude adds back; the last one it drops
            lines.append(arg).append('\n').append(boundary).append('\n');
        }
        lines.append(boundary).append(".\n");
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void requireName(String name) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("not an environment variable name: " + name);
        }
    }
}
