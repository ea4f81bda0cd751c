package io.dbsnap.core.process;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A program to run: its arguments (never a credential), its extra environment (where credentials
 * go), and the values that must be scrubbed from anything it prints.
 */
public record Command(List<String> argv, Map<String, String> env, Set<String> secrets) {

    public Command {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
        secrets = Set.copyOf(secrets);
    }

    public String program() {
        return argv.get(0);
    }
}
