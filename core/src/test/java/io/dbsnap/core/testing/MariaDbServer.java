package io.dbsnap.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway MariaDB server: {@code mariadb-install-db} into a temporary directory, {@code mariadbd}
 * on a free loopback port, and a user {@code dbsnap} with every privilege and a password, reached
 * over TCP as a user's database is.
 */
public final class MariaDbServer implements AutoCloseable {

    public static final String USER = "dbsnap";
    private final Path dir;
    private final Process server;
    private final int port;
    private final String password;

    private MariaDbServer(Path dir, Process server, int port, String password) {
        this.dir = dir;
        this.server = server;
        this.port = port;
        this.password = password;
    }

    public static MariaDbServer start() throws Exception {
        Path dir = Files.createTempDirectory("dbsnap-mariadb-");
        Path data = dir.resolve("data");
        List<String> asRoot = PostgresServer.isRoot() ? List.of("--user=root") : List.of();
        List<String> install = new ArrayList<>(List.of("mariadb-install-db", "--no-defaults", "--datadir=" + data,
                "--auth-root-authentication-method=normal", "--skip-test-db"));
        install.addAll(asRoot);
        TestProcesses.run(install, Map.of(), null);
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnAFreePort(dir, data, asRoot);
            } catch (IOException e) {
                if (attempt == PostgresServer.PORT_ATTEMPTS) {
                    TestProcesses.deleteRecursively(dir);
                    throw e;
                }
                // the port chosen may have been taken before mariadbd bound it: choose again
            }
        }
    }

    private static MariaDbServer startOnAFreePort(Path dir, Path data, List<String> asRoot) throws Exception {
        int port = PostgresServer.freePort();
        List<String> argv = new ArrayList<>(List.of("mariadbd", "--no-defaults", "--datadir=" + data,
                "--socket=" + dir.resolve("sock"), "--port=" + port, "--bind-address=127.0.0.1",
                "--pid-file=" + dir.resolve("pid"), "--skip-name-resolve", "--skip-log-bin",
                "--innodb-buffer-pool-size=64M", "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0",
                "--event-scheduler=OFF", "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci"));
        argv.addAll(asRoot);
        Process server = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile()).start();
        String password = "pw-" + UUID.randomUUID();
        MariaDbServer started = new MariaDbServer(dir, server, port, password);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                started.rootSql("CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + password + "';"
                        + " GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'%' WITH GRANT OPTION;");
                return started;
            } catch (IOException e) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    // the data directory stays for another try on another port
                    server.destroyForcibly().waitFor();
                    throw new IOException("mariadbd did not start: " + Files.readString(dir.resolve("server.log")), e);
                }
                Thread.sleep(200);
            }
        }
    }

    public int port() {
        return port;
    }

    public String password() {
        return password;
    }

    /** {@code mariadb://dbsnap:PASSWORD@127.0.0.1:PORT/db}; without a database when {@code database} is empty. */
    public String url(String database) {
        return "mariadb://" + USER + ":" + password + "@127.0.0.1:" + port + "/"
                + java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Runs SQL over TCP as {@code dbsnap}; returns tab-separated rows without headers. */
    public String sql(String database, String sql) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("mariadb", "--no-defaults", "-h", "127.0.0.1", "-P",
                String.valueOf(port), "-u", USER, "-N", "-B", "--binary-mode", "--default-character-set=utf8mb4"));
        if (database != null) {
            argv.add("--database=" + database);
        }
        return TestProcesses.run(argv, Map.of("MYSQL_PWD", password), sql);
    }

    public void createDatabase(String name) throws IOException, InterruptedException {
        sql(null, "CREATE DATABASE `" + name.replace("`", "``") + "`");
    }

    private void rootSql(String sql) throws IOException, InterruptedException {
        TestProcesses.run(List.of("mariadb", "--no-defaults", "-u", "root", "--socket=" + dir.resolve("sock")), Map.of(), sql);
    }

    @Override
    public void close() throws Exception {
        TestProcesses.stopAndDelete(server, dir);
    }
}
