package io.dbsnap.core.testing;

import io.dbsnap.core.engine.PostgresEngine;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server: {@code initdb} into a temporary directory, started with
 * {@code pg_ctl} on a free loopback port, password authentication over TCP. As root (CI), the
 * server runs as the {@code postgres} user, since PostgreSQL refuses to run as root.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String SUPERUSER = "postgres";
    private final Path dir;
    private final Path bin;
    private final int port;
    private final String password;

    private PostgresServer(Path dir, Path bin, int port, String password) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.password = password;
    }

    public static PostgresServer start() throws Exception {
        Path bin = findBinDir();
        Path dir = Files.createTempDirectory("dbsnap-pg-");
        String password = "pw-" + UUID.randomUUID();
        Path pwfile = dir.resolve("pwfile");
        Files.writeString(pwfile, password + "\n");
        if (isRoot()) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()), Map.of());
        }
        Path data = dir.resolve("data");
        runAsServerUser(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", SUPERUSER,
                "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8",
                "--locale=C.UTF-8", "--no-sync"));
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            try {
                runAsServerUser(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                        dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                                + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=50", "start"));
                return new PostgresServer(dir, bin, port, password);
            } catch (IOException e) {
                if (attempt == PORT_ATTEMPTS) {
                    throw e;
                }
                // another process took the port between choosing it and binding it: choose again
            }
        }
    }

    /** How often a server is started on a newly chosen port when the one chosen was taken meanwhile. */
    static final int PORT_ATTEMPTS = 3;

    public int port() {
        return port;
    }

    public String password() {
        return password;
    }

    /** {@code postgresql://postgres:PASSWORD@127.0.0.1:PORT/db}, the database name percent-encoded. */
    public String url(String database) {
        return "postgresql://" + SUPERUSER + ":" + password + "@127.0.0.1:" + port + "/"
                + java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Runs SQL through psql as the superuser; returns unaligned, tuples-only output. */
    public String psql(String database, String sql) throws IOException, InterruptedException {
        return run(List.of(bin.resolve("psql").toString(), "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", SUPERUSER, "-d", PostgresEngine.conninfoDbname(database), "-f", "-"),
                Map.of("PGPASSWORD", password), sql);
    }

    /** {@code pg_dump --schema-only} of a database: every object's definition, owner and privileges. */
    public String schemaDump(String database) throws IOException, InterruptedException {
        return run(List.of(bin.resolve("pg_dump").toString(), "--schema-only", "-h", "127.0.0.1", "-p",
                String.valueOf(port), "-U", SUPERUSER, "-d", PostgresEngine.conninfoDbname(database)),
                Map.of("PGPASSWORD", password), "");
    }

    /** The path of one of this server's client programs, e.g. {@code pg_dump}. */
    public Path tool(String name) {
        return bin.resolve(name);
    }

    public void createDatabase(String name) throws IOException, InterruptedException {
        psql("postgres", "CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
    }

    public void dropDatabase(String name) throws IOException, InterruptedException {
        psql("postgres", "DROP DATABASE IF EXISTS \"" + name.replace("\"", "\"\"") + "\" WITH (FORCE)");
    }

    @Override
    public void close() throws Exception {
        try {
            runAsServerUser(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                    "-m", "immediate", "-w", "stop"));
        } finally {
            TestProcesses.deleteRecursively(dir);
        }
    }

    private static Path findBinDir() throws IOException {
        String configured = System.getenv("DBSNAP_PG_BIN");
        if (configured != null) {
            return Path.of(configured);
        }
        Path lib = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> versions = Files.list(lib)) {
                Path newest = versions.filter(p -> Files.isExecutable(p.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replaceAll("\\D", "0"))))
                        .orElse(null);
                if (newest != null) {
                    return newest.resolve("bin");
                }
            }
        }
        throw new IllegalStateException("PostgreSQL server binaries not found: install postgresql"
                + " (apt-get install -y postgresql) or set DBSNAP_PG_BIN");
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void runAsServerUser(List<String> argv) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.addAll(argv);
        run(command, Map.of());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static String run(List<String> argv, Map<String, String> env) throws IOException, InterruptedException {
        return run(argv, env, null);
    }

    private static String run(List<String> argv, Map<String, String> env, String stdin)
            throws IOException, InterruptedException {
        return TestProcesses.run(argv, env, stdin);
    }
}
