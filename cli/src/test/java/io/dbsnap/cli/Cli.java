package io.dbsnap.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs dbsnap in this process, as a user would run it, and captures what it prints. */
final class Cli {

    private final Map<String, String> env = new HashMap<>();
    private final Path workingDirectory;

    Cli(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
        env.put("PATH", System.getenv("PATH"));
        env.put("TMPDIR", workingDirectory.toString());
    }

    Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = new CliContext(env, workingDirectory, new PrintWriter(out, true),
                new PrintWriter(err, true), CliContext.Terminal.NONE);
        int exit = DbsnapCommand.execute(context, args);
        return new Result(exit, out.toString(), err.toString());
    }

    record Result(int exit, String out, String err) {
        Result assertOk() {
            if (exit != 0) {
                throw new AssertionError("dbsnap exited " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err);
            }
            return this;
        }

        String all() {
            return out + err;
        }
    }
}
