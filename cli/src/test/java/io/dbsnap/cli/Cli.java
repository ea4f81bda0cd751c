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
    private CliContext.Terminal terminal = CliContext.Terminal.NONE;

    Cli(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
        env.put("PATH", System.getenv("PATH"));
        env.put("TMPDIR", workingDirectory.toString());
    }

    Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** A terminal with a person at it who answers every question with {@code answer}. */
    Cli person(boolean answer, java.util.List<String> questions) {
        terminal = new CliContext.Terminal() {
            @Override
            public boolean interactive() {
                return true;
            }

            @Override
            public boolean confirm(String question) {
                questions.add(question);
                return answer;
            }
        };
        return this;
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = new CliContext(env, workingDirectory, new PrintWriter(out, true),
                new PrintWriter(err, true), terminal);
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
