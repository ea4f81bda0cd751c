package io.dbsnap.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** A throwaway Redis server: {@code redis-server} on a free loopback port, a temporary directory, a password. */
public final class RedisServer implements AutoCloseable {

    private final Path dir;
    private final Process server;
    private final int port;
    private final String password;

    private RedisServer(Path dir, Process server, int port, String password) {
        this.dir = dir;
        this.server = server;
        this.port = port;
        this.password = password;
    }

    /** A server with {@code settings} added to its command line, e.g. {@code --databases 1}. */
    public static RedisServer start(String... settings) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnAFreePort(settings);
            } catch (IOException e) {
                if (attempt == PostgresServer.PORT_ATTEMPTS) {
                    throw e;
                }
                // the port chosen may have been taken before redis-server bound it: choose again
            }
        }
    }

    private static RedisServer startOnAFreePort(String... settings) throws Exception {
        Path dir = Files.createTempDirectory("dbsnap-redis-");
        int port = PostgresServer.freePort();
        String password = "pw-" + UUID.randomUUID();
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of("redis-server", "--port",
                String.valueOf(port), "--bind", "127.0.0.1", "--dir", dir.toString(), "--save", "", "--appendonly", "no",
                "--requirepass", password, "--daemonize", "no", "--logfile", dir.resolve("server.log").toString()));
        argv.addAll(java.util.List.of(settings));
        Process server = new ProcessBuilder(argv)
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        RedisServer started = new RedisServer(dir, server, port, password);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                if (started.cli("PING").strip().equals("PONG")) {
                    return started;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!server.isAlive() || System.nanoTime() > deadline) {
                started.close();
                throw new IOException("redis-server did not start: " + Files.readString(dir.resolve("stdout.log")));
            }
            Thread.sleep(100);
        }
    }

    public int port() {
        return port;
    }

    public String password() {
        return password;
    }

    /** {@code redis://:PASSWORD@127.0.0.1:PORT}. */
    public String url() {
        return "redis://:" + password + "@127.0.0.1:" + port;
    }

    /** Runs one redis-cli command; fails on an error reply. */
    public String cli(String... args) throws IOException, InterruptedException {
        List<String> argv = new java.util.ArrayList<>(List.of("redis-cli", "--no-auth-warning", "-p",
                String.valueOf(port)));
        argv.addAll(List.of(args));
        String out = TestProcesses.run(argv, java.util.Map.of("REDISCLI_AUTH", password), null);
        if (out.startsWith("ERR") || out.startsWith("NOAUTH") || out.startsWith("WRONGPASS")) {
            throw new IOException("redis-cli " + String.join(" ", args) + ": " + out);
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        TestProcesses.stopAndDelete(server, dir);
    }
}
