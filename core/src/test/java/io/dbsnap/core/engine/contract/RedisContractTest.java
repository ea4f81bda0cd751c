package io.dbsnap.core.engine.contract;

import io.dbsnap.core.process.Command;
import io.dbsnap.core.process.LocalProcessRunner;
import io.dbsnap.core.process.ProcessRunner;
import io.dbsnap.core.process.RunningProcess;
import io.dbsnap.core.testing.DatabaseFingerprint;
import io.dbsnap.core.testing.RedisSampleData;
import io.dbsnap.core.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine contract for Redis, with the installed redis-cli behind a shim that writes down its
 * arguments and what it said on stderr, so each variant shows which way the RDB came: here a
 * diskless transfer (Redis 7's default) streamed from {@code --rdb -}, ending in the marker.
 */
class RedisContractTest extends EngineContract {

    /** Loaded once: every test leaves the data as it found it (a spoiled one restores it). */
    static RedisServer redis;

    @TempDir
    static Path shims;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        RedisSampleData.load(redis);
    }

    @BeforeAll
    static void writeShim() throws Exception {
        writeShim("");
    }

    /** A redis-cli on the runner's PATH that runs the installed one after {@code before}, keeping a log. */
    static void writeShim(String before) throws Exception {
        String real = Arrays.stream(System.getenv("PATH").split(":")).map(d -> Path.of(d, "redis-cli"))
                .filter(Files::isExecutable).findFirst().orElseThrow().toString();
        Path cli = shims.resolve("redis-cli");
        Files.writeString(cli, """
                #!/bin/sh
                d=$(dirname "$0")
                %s
                echo "$*" >> "$d/calls"
                '%s' "$@" 2>"$d/err.$$"; rc=$?
                cat "$d/err.$$" >&2; cat "$d/err.$$" >> "$d/stderr"; rm -f "$d/err.$$"
                exit $rc
                """.formatted(before, real));
        Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void stop() throws Exception {
        redis.close();
    }

    @Override
    ProcessRunner runner() {
        LocalProcessRunner local = new LocalProcessRunner();
        return new ProcessRunner() {
            @Override
            public RunningProcess start(Command command) {
                Map<String, String> env = new LinkedHashMap<>(command.env());
                env.put("PATH", shims + ":" + System.getenv("PATH"));
                return local.start(new Command(command.argv(), env, command.secrets()));
            }
        };
    }

    /** How redis-cli was asked for the RDB. */
    String rdbArgument() {
        return "--rdb -";
    }

    /** What redis-cli said of the transfer, as a pattern. */
    String transferReport() {
        return "writing bytes of bulk transfer until EOF marker to '-'";
    }

    @Test
    void theRdbCameTheWayThisServerAndRedisCliSendIt() throws Exception {
        aSnapshotRestoresTheSameData();
        assertThat(Files.readString(shims.resolve("calls"))).contains(rdbArgument());
        assertThat(Files.readString(shims.resolve("stderr"))).containsPattern(transferReport());
    }

    @Override
    String engineName() {
        return "redis";
    }

    @Override
    String targetUrl() {
        return redis.url();
    }

    @Override
    String password() {
        return redis.password();
    }

    @Override
    DatabaseFingerprint fingerprint() {
        return DatabaseFingerprint.redis(redis);
    }

    @Override
    void spoil() throws Exception {
        redis.cli("SET", "str:1", "changed");
        redis.cli("DEL", "hash:7", "list:8");
    }

    @Override
    String otherTargetUrl() {
        return "redis://:x@127.0.0.1:" + (redis.port() + 1);
    }

    @Override
    Map<String, String> refusedTargets() {
        return Map.of("redis://127.0.0.1:6379/orders", "ends in the port or a database number",
                "redis://127.0.0.1:6379?tls=true", "takes none");
    }
}
