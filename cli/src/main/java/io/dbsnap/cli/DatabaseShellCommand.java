package io.dbsnap.cli;

import io.dbsnap.cli.agent.PodExecScript;
import io.dbsnap.cli.agent.PodResolver;
import io.dbsnap.cli.agent.ResolvedPod;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.database.DatabaseTarget;
import io.dbsnap.core.database.TargetParser;
import io.dbsnap.core.engine.Engine;
import io.dbsnap.core.engine.Engines;
import io.dbsnap.core.process.Command;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

/**
 * {@code dbsnap psql|mysql|mariadb|redis-cli POD|TARGET [-- ARGS]}: the database's own client with the
 * credentials resolved as the operator resolves them: in a pod from the database image's environment (or
 * {@code --credentials-secret}), run there through exec; for a TARGET URL, here. A password never reaches
 * an argument: it travels in the environment, in a pod on exec's stdin before the client starts. In a pod
 * the client gets a terminal when dbsnap has one (or with {@code -t}), as {@code kubectl exec -it} gives
 * it: prompts, line editing and Ctrl-C there. Without one, {@code -i} sends what a pipe or file holds,
 * whole, then ends.
 */
abstract class DatabaseShellCommand implements Callable<Integer> {

    protected final CliContext context;

    @Parameters(index = "0", paramLabel = "POD|TARGET", description = "a pod (in -n NAMESPACE) or a database URL")
    String where;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "passed on to the client, after --")
    List<String> args = new ArrayList<>();

    @Mixin
    KubeOptions kube = new KubeOptions();

    @Option(names = {"-c", "--container"}, paramLabel = "NAME", description = "the pod's container (default: its first)")
    String container;

    @Option(names = "--database", paramLabel = "DB", description = "the database (default: the one the pod's environment names)")
    String database;

    @Option(names = {"-i", "--stdin"}, description = "send what stdin holds (a pipe or file) to the client in the pod, "
            + "as kubectl exec -i; on a terminal what you type is always sent")
    boolean stdin;

    @Option(names = {"-t", "--tty"}, negatable = true, description = "give the client in the pod a terminal (default: "
            + "when dbsnap runs on one); --no-tty for plain streams")
    Boolean tty;

    @Option(names = "--credentials-secret", paramLabel = "NAME",
            description = "read the user and password from this Secret's username and password keys")
    String credentialsSecret;

    DatabaseShellCommand(CliContext context) {
        this.context = context;
    }

    /** The engines whose client this command is. */
    protected abstract Set<String> engines();

    @Override
    public Integer call() throws Exception {
        if (where.contains("://")) {
            return local();
        }
        try (KubernetesClient client = kube.open(context)) {
            return inPod(client);
        } catch (KubernetesClientException e) {
            throw new DbsnapException("cannot reach the pod " + where + ": " + e.getMessage(), e);
        }
    }

    private int local() throws Exception {
        if (kube.given() || container != null || credentialsSecret != null) {
            throw new DbsnapException("-n, -c, --context and --credentials-secret are for a pod; " + where
                    + " is a database URL");
        }
        DatabaseTarget target = TargetParser.parse(where);
        if (database != null) {
            target = new DatabaseTarget(target.scheme(), target.user(), target.password(), target.host(), target.port(),
                    database, target.params(), target.toString());
        }
        Engine engine = fitting(Engines.forTarget(target));
        Command command = engine.shellCommand(target, args);
        List<String> argv = new ArrayList<>(command.argv());
        argv.set(0, onPath(argv.get(0)));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.INHERIT);
        builder.environment().remove(io.dbsnap.core.mask.MaskKey.ENVIRONMENT);
        builder.environment().remove(io.dbsnap.core.crypto.AgeKeys.IDENTITY_ENVIRONMENT);
        builder.environment().putAll(command.env());
        if (context.terminal().interactive()) {
            return builder.inheritIO().start().waitFor();
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new DbsnapException(command.program() + " could not be started: is it installed and on PATH? ("
                    + e.getMessage() + ")", e);
        }
        Thread errors = copying(process.getErrorStream(), context.err());
        copy(process.getInputStream(), context.out());
        errors.join();
        return process.waitFor();
    }

    private int inPod(KubernetesClient client) throws Exception {
        String namespace = kube.namespace(client);
        ResolvedPod pod = new PodResolver(client).byName(namespace, where, container);
        Engine engine = fitting(Engines.forImage(pod.image()).orElseGet(() -> Engines.forName(engines().iterator().next())));
        String user = null;
        String password = null;
        if (credentialsSecret != null) {
            Secret secret = client.secrets().inNamespace(namespace).withName(credentialsSecret).get();
            if (secret == null) {
                throw new DbsnapException("Secret " + namespace + "/" + credentialsSecret + " not found");
            }
            user = SecretValues.of(secret, "username");
            password = SecretValues.of(secret, "password");
            if (password != null) {
                context.addSecret(password);
            }
        }
        DatabaseTarget target = new DatabaseTarget(engine.name(), user, password, null, null, database, Map.of(),
                "pod://" + pod.namespace() + "/" + pod.name() + "/" + pod.container());
        Command command = engine.shellCommand(target, args);
        Map<String, String> defaults = engine.podEnvironmentDefaults();
        boolean person = context.terminal().interactive();
        // a terminal in the pod wants this one raw: where it cannot be (no stty, no /dev/tty), plain streams
        boolean terminal = tty != null ? tty : person && RawTerminal.available();
        if (terminal && stdin && !person) {
            // as kubectl exec -it: input that is not typed could end in the middle of the terminal's set-up
            context.err().println("dbsnap: stdin is not a terminal; the client in the pod runs without one");
            context.err().flush();
            terminal = false;
        }
        if (terminal) {
            return execOnTerminal(client, pod, PodExecScript.of(command).onTerminal(context.env().getOrDefault("TERM", "xterm")), defaults, command.program());
        }
        Path spooled = null;
        try {
            PodExecScript script = PodExecScript.of(command);
            if (!context.terminal().interactive()) {
                // exec cannot say "end of input": what a pipe or file holds is counted and sent whole; without
                // -i nothing is read, so a script whose stdin never ends does not wait for it
                spooled = Files.createTempFile("dbsnap-shell-", ".in");
                if (stdin) {
                    try (OutputStream out = Files.newOutputStream(spooled)) {
                        context.stdin().transferTo(out);
                    }
                }
                script = script.feeding(Files.size(spooled));
            }
            return exec(client, pod, script, defaults, spooled, command.program());
        } finally {
            if (spooled != null) {
                Files.deleteIfExists(spooled);
            }
        }
    }

    private int exec(KubernetesClient client, ResolvedPod pod, PodExecScript script, Map<String, String> defaults,
                     Path spooled, String program) throws Exception {
        ExecWatch watch = client.pods().inNamespace(pod.namespace()).withName(pod.name()).inContainer(pod.container())
                .redirectingInput().redirectingOutput().redirectingError()
                .exec(script.argv(defaults).toArray(String[]::new));
        try (watch) {
            OutputStream in = watch.getInput();
            in.write(script.stdinPrelude());
            in.flush();
            Thread errors = copying(watch.getError(), context.err());
            sending(() -> spooled != null ? Files.newInputStream(spooled) : context.stdin(), in, "shell-stdin");
            copyUntilExit(watch.getOutput());
            errors.join(5000);
            try {
                Integer exit = watch.exitCode().get();
                return exit == null ? 1 : exit;
            } catch (ExecutionException e) {
                throw new DbsnapException(program + " in pod " + pod + " ended without an exit status", e);
            }
        }
    }

    /**
     * The client on a terminal in the pod. Its prelude is sent only once the pod's terminal no longer
     * echoes (the marker says so), so no credential appears on the screen; then dbsnap's own terminal goes
     * raw and every key is passed on. Without a person there ({@code -t} in a script) nothing is sent.
     */
    private int execOnTerminal(KubernetesClient client, ResolvedPod pod, PodExecScript script,
                               Map<String, String> defaults, String program) throws Exception {
        ExecWatch watch = client.pods().inNamespace(pod.namespace()).withName(pod.name()).inContainer(pod.container())
                .redirectingInput().redirectingOutput().withTTY()
                .exec(script.argv(defaults).toArray(String[]::new));
        boolean person = context.terminal().interactive();
        RawTerminal raw = null;
        // only someone typing sends input here; a pipe's end could not be told to the client in time
        try (watch) {
            InputStream output = watch.getOutput();
            OutputStream in = watch.getInput();
            boolean ready = awaitMarker(output, script.readyMarker());
            if (ready) {
                in.write(script.stdinPrelude());
                in.flush();
            }
            if (ready && awaitMarker(output, script.startedMarker()) && skipLineEnd(output)) {
                raw = person ? RawTerminal.enter().orElse(null) : null;
                if (raw != null) {
                    raw.followSize(watch::resize);
                }
                if (person) {
                    sending(context::stdin, in, "shell-keys");
                }
                copyUntilExit(output);
            }
            try {
                Integer exit = watch.exitCode().get();
                return exit == null ? 1 : exit;
            } catch (ExecutionException e) {
                throw new DbsnapException(program + " in pod " + pod + " ended without an exit status", e);
            }
        } finally {
            if (raw != null) {
                raw.close();
            }
        }
    }

    /**
     * Reads the output up to the prelude's marker; true once it came. Anything else the pod said (an error
     * from a container that cannot set up its terminal) is shown as it is.
     */
    private boolean awaitMarker(InputStream output, byte[] marker) throws IOException {
        java.io.ByteArrayOutputStream seen = new java.io.ByteArrayOutputStream();
        int b;
        while ((b = output.read()) >= 0) {
            seen.write(b);
            byte[] bytes = seen.toByteArray();
            if (bytes.length >= marker.length && java.util.Arrays.equals(bytes, bytes.length - marker.length,
                    bytes.length, marker, 0, marker.length)) {
                context.out().write(new String(bytes, 0, bytes.length - marker.length, StandardCharsets.UTF_8));
                context.out().flush();
                return true;
            }
        }
        context.out().write(seen.toString(StandardCharsets.UTF_8));
        context.out().flush();
        return false;
    }

    /**
     * The client's output to the end. fabric8 ends the stream of a command that exited non-zero with an
     * IOException; the exit status, read next, is what counts.
     */
    private void copyUntilExit(InputStream output) {
        try {
            copy(output, context.out());
        } catch (IOException e) {
            // ended: the exit status (or its absence, when the connection dropped) says how
        }
    }

    /** Where local input comes from; opening it may fail. */
    private interface LocalInput {
        InputStream open() throws IOException;
    }

    /** Sends local input to the client in the pod as it comes, on a thread of its own, until either ends. */
    private static void sending(LocalInput from, OutputStream to, String name) {
        Thread thread = new Thread(() -> {
            try (InputStream local = from.open()) {
                byte[] buffer = new byte[16 * 1024];
                int n;
                while ((n = local.read(buffer)) >= 0) {
                    to.write(buffer, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // the client in the pod has ended; its exit status says how
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Consumes the marker's line end ({@code \r\n} on a terminal); false when the output ended there. */
    private static boolean skipLineEnd(InputStream output) throws IOException {
        int b;
        while ((b = output.read()) >= 0) {
            if (b == '\n') {
                return true;
            }
        }
        return false;
    }

    /** The program as dbsnap's own PATH finds it (the JVM would look in the PATH it started with). */
    private String onPath(String program) {
        String path = context.env().get("PATH");
        if (path != null && !program.contains("/")) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
                if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return program;
    }

    /** The engine, when this command is its client; else a message naming the right command. */
    private Engine fitting(Engine engine) {
        if (!engines().contains(engine.name())) {
            String right = switch (engine.name()) {
                case "postgresql" -> "psql";
                case "mysql", "mariadb" -> engine.name();
                case "redis" -> "redis-cli";
                default -> null;
            };
            throw new DbsnapException(where + " is a " + engine.name() + " database" + (right == null ? ""
                    : ": use dbsnap " + right));
        }
        return engine;
    }

    private static Thread copying(InputStream from, PrintWriter to) {
        Thread thread = new Thread(() -> {
            try {
                copy(from, to);
            } catch (IOException ignored) {
                // the stream ended with the client
            }
        }, "shell-stderr");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void copy(InputStream from, PrintWriter to) throws IOException {
        Reader reader = new java.io.InputStreamReader(from, StandardCharsets.UTF_8);
        char[] buffer = new char[8192];
        int n;
        while ((n = reader.read(buffer)) >= 0) {
            synchronized (to) {
                to.write(buffer, 0, n);
                to.flush();
            }
        }
    }

    @picocli.CommandLine.Command(name = "psql", mixinStandardHelpOptions = true,
            description = "psql into a PostgreSQL pod or TARGET, credentials resolved: dbsnap psql db-0 -- -c 'select 1'")
    static final class Psql extends DatabaseShellCommand {
        Psql(CliContext context) {
            super(context);
        }

        @Override
        protected Set<String> engines() {
            return Set.of("postgresql");
        }
    }

    @picocli.CommandLine.Command(name = "mysql", mixinStandardHelpOptions = true,
            description = "The mysql client into a MySQL or MariaDB pod or TARGET, credentials resolved")
    static final class Mysql extends DatabaseShellCommand {
        Mysql(CliContext context) {
            super(context);
        }

        @Override
        protected Set<String> engines() {
            return Set.of("mysql", "mariadb");
        }
    }

    @picocli.CommandLine.Command(name = "mariadb", mixinStandardHelpOptions = true,
            description = "The mariadb client into a MariaDB or MySQL pod or TARGET, credentials resolved")
    static final class Mariadb extends DatabaseShellCommand {
        Mariadb(CliContext context) {
            super(context);
        }

        @Override
        protected Set<String> engines() {
            return Set.of("mariadb", "mysql");
        }
    }

    @picocli.CommandLine.Command(name = "redis-cli", mixinStandardHelpOptions = true,
            description = "redis-cli into a Redis pod or TARGET, credentials resolved")
    static final class RedisCli extends DatabaseShellCommand {
        RedisCli(CliContext context) {
            super(context);
        }

        @Override
        protected Set<String> engines() {
            return Set.of("redis");
        }
    }
}
