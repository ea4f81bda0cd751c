package io.dbsnap.cli;

import io.dbsnap.core.process.SecretScrubber;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a command may touch of the outside world: environment, working directory, output streams,
 * and the terminal (for progress and confirmation). Tests build their own.
 */
public final class CliContext {

    private final Map<String, String> env;
    private final Path workingDirectory;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Terminal terminal;
    private final Set<String> secrets = new HashSet<>();
    private java.io.InputStream stdin = java.io.InputStream.nullInputStream();

    public CliContext(Map<String, String> env, Path workingDirectory, PrintWriter out, PrintWriter err,
                      Terminal terminal) {
        this.env = Map.copyOf(env);
        this.workingDirectory = workingDirectory;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        for (String name : new String[]{"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "PGPASSWORD", io.dbsnap.api.job.AgentPodArgs.DB_PASSWORD_ENV}) {
            addSecret(env.get(name));
        }
    }

    static CliContext system() {
        return new CliContext(System.getenv(), Path.of("").toAbsolutePath(),
                new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8),
                Terminal.system()).withStdin(System.in);
    }

    /** What a database shell reads (empty unless given). */
    public CliContext withStdin(java.io.InputStream in) {
        this.stdin = in;
        return this;
    }

    public java.io.InputStream stdin() {
        return stdin;
    }

    public Map<String, String> env() {
        return env;
    }

    public Path workingDirectory() {
        return workingDirectory;
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    public Terminal terminal() {
        return terminal;
    }

    /** Remembers a secret so no message can print it. */
    void addSecret(String secret) {
        if (secret != null && !secret.isEmpty()) {
            secrets.add(secret);
        }
    }

    public String scrub(String text) {
        return new SecretScrubber(secrets).scrub(text);
    }

    /** The interactive side: whether a person is there, and asking them. */
    public interface Terminal {

        boolean interactive();

        boolean confirm(String question);

        static Terminal system() {
            return new Terminal() {
                @Override
                public boolean interactive() {
                    Console console = System.console();
                    if (console == null) {
                        return false;
                    }
                    // from Java 22 a console exists even when output is redirected; ask whether it is a terminal
                    try {
                        return (boolean) Console.class.getMethod("isTerminal").invoke(console);
                    } catch (NoSuchMethodException olderJava) {
                        return true;
                    } catch (ReflectiveOperationException e) {
                        return false;
                    }
                }

                @Override
                public boolean confirm(String question) {
                    System.err.print(question + " [y/N] ");
                    System.err.flush();
                    try {
                        String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                                .readLine();
                        return answer != null && (answer.strip().equalsIgnoreCase("y")
                                || answer.strip().equalsIgnoreCase("yes"));
                    } catch (IOException e) {
                        return false;
                    }
                }
            };
        }

        /** For scripts and tests: nobody to ask. */
        Terminal NONE = new Terminal() {
            @Override
            public boolean interactive() {
                return false;
            }

            @Override
            public boolean confirm(String question) {
                return false;
            }
        };
    }
}
