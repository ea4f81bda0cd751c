package io.dbsnap.cli.kube;

import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.process.Command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a {@link Command} runs in a pod. An exec request carries its arguments in the URL, where API
 * server audit logs keep them, so the environment (credentials) travels on stdin instead: one
 * {@code NAME=value} line each, ended by an empty line, read by a small {@code sh} prelude that then
 * fills what is still unset from the database image's own variables and execs the command.
 */
public final class PodExecScript {

    static final String SCRIPT_NAME = "dbsnap-exec";

    private PodExecScript() {
    }

    /** {@code sh -c PRELUDE dbsnap-exec ARGV...}: nothing secret, only names and the command itself. */
    public static List<String> argv(Command command, Map<String, String> podDefaults) {
        StringBuilder script = new StringBuilder("while IFS= read -r kv && [ -n \"$kv\" ]; do export \"$kv\"; done; ");
        podDefaults.forEach((name, expression) -> {
            requireName(name);
            script.append(": \"${").append(name).append(":=").append(expression).append("}\"; export ")
                    .append(name).append("; ");
        });
        script.append("exec \"$@\"");
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script.toString(), SCRIPT_NAME));
        argv.addAll(command.argv());
        return argv;
    }

    /** The stdin lines the prelude reads: the command's environment, then an empty line. */
    public static byte[] stdinPrelude(Command command) {
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
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void requireName(String name) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("not an environment variable name: " + name);
        }
    }
}
