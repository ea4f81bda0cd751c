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

    /**
     * A {@code sh} script run as {@code sh -c SCRIPT NAME ARGS...}; {@code NAME} is what messages call
     * it ({@code $0}), and the script reads its arguments as {@code "$1"}, ... .
     */
    public static Command script(String name, String script, List<String> args, Map<String, String> env,
                                 Set<String> secrets) {
        List<String> argv = new java.util.ArrayList<>(List.of("sh", "-c", script, name));
        argv.addAll(args);
        return new Command(argv, env, secrets);
    }

    /** The program's name for messages: a script's own name rather than {@code sh}. */
    public String program() {
        boolean script = argv.size() >= 4 && argv.get(0).equals("sh") && argv.get(1).equals("-c");
        return script ? argv.get(3) : argv.get(0);
    }
}
