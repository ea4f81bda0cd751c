package io.dbsnap.cli;

import io.dbsnap.core.testing.S3Server;

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

    /** Snapshots go to S3Proxy, reached the way a user reaches S3: through AWS_* variables. */
    Cli s3Store(S3Server s3, String storeUri) {
        return env("DBSNAP_STORE", storeUri).env("AWS_ENDPOINT_URL", s3.endpoint().toString())
                .env("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY).env("AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
    }

    Cli fileStore(Path dir) {
        return env("DBSNAP_STORE", "file://" + dir);
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
