package io.dbsnap.core.engine;

import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.process.LocalProcessRunner;
import io.dbsnap.core.process.ProcessRunner;
import io.dbsnap.core.database.DatabaseTarget;
import io.dbsnap.core.database.TargetParser;
import io.dbsnap.core.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Redis restore flushes the server, so everything that can refuse it does so first, against real
 * servers: the whole RDB is read, and the target's databases, version and eviction policy checked,
 * before FLUSHALL. After the replay, each database must hold the snapshot's keys.
 */
class RedisRestoreCheckTest {

    private static RedisServer source;
    private static Path rdb;
    @TempDir
    static Path dir;

    private final ProcessRunner runner = new LocalProcessRunner();
    private final RedisEngine engine = new RedisEngine();

    @BeforeAll
    static void takeAnRdb() throws Exception {
        source = RedisServer.start();
        for (int i = 0; i < 500; i++) {
            source.cli("SET", "k" + i, "v" + i);
        }
        source.cli("-n", "3", "SET", "in-db-3", "x");
        source.cli("SET", "with-ttl", "x", "EX", "3600");
        rdb = dir.resolve("dump.rdb");
        // the snapshot's own command, as a restore finds it after verifying the download
        try (var process = new LocalProcessRunner().start(engine().dumpCommand(TargetParser.parse(source.url())))) {
            process.stdin().close();
            try (OutputStream out = Files.newOutputStream(rdb)) {
                process.stdout().transferTo(out);
            }
            process.awaitSuccess("redis-cli --rdb");
        }
    }

    private static RedisEngine engine() {
        return new RedisEngine();
    }

    @AfterAll
    static void stop() throws Exception {
        if (source != null) {
            source.close();
        }
    }

    @Test
    void aServerWithTooFewDatabasesIsRefusedBeforeAnythingIsFlushed() throws Exception {
        try (RedisServer target = RedisServer.start("--databases", "2")) {
            target.cli("SET", "keep-me", "1");
            assertThatThrownBy(() -> restoreInto(target)).isInstanceOf(DbsnapException.class)
                    .hasMessageContaining("holds database 3").hasMessageContaining("'databases' setting")
                    .hasMessageContaining("nothing was changed");
            assertThat(target.cli("GET", "keep-me").strip()).isEqualTo("1");
        }
    }

    @ParameterizedTest
    @CsvSource({"allkeys-lru", "volatile-ttl", "allkeys-random"})
    void anEvictingServerIsRefusedBeforeAnythingIsFlushed(String policy) throws Exception {
        try (RedisServer target = RedisServer.start("--maxmemory", "64mb", "--maxmemory-policy", policy)) {
            target.cli("SET", "keep-me", "1");
            assertThatThrownBy(() -> restoreInto(target)).hasMessageContaining("eviction policy " + policy)
                    .hasMessageContaining("nothing was changed");
            assertThat(target.cli("GET", "keep-me").strip()).isEqualTo("1");
        }
    }

    @Test
    void anRdbThatCannotBeReadIsRefusedBeforeAnythingIsFlushed() throws Exception {
        byte[] whole = Files.readAllBytes(rdb);
        Path cut = dir.resolve("cut.rdb");
        Path newer = dir.resolve("newer.rdb");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        byte[] v12 = whole.clone();
        System.arraycopy("0012".getBytes(), 0, v12, 5, 4);
        Files.write(newer, v12);
        try (RedisServer target = RedisServer.start()) {
            target.cli("SET", "keep-me", "1");
            for (Path bad : new Path[]{cut, newer}) {
                assertThatThrownBy(() -> engine.restore(runner, TargetParser.parse(target.url()), bad,
                        new RestoreOptions(false, 1))).as(bad.toString()).isInstanceOf(DbsnapException.class)
                        .hasMessageContaining("nothing was sent to the server");
                assertThat(target.cli("GET", "keep-me").strip()).isEqualTo("1");
            }
        }
    }

    @Test
    void aFittingServerGetsExactlyTheSnapshotsKeys() throws Exception {
        try (RedisServer target = RedisServer.start("--maxmemory", "64mb", "--maxmemory-policy", "noeviction")) {
            target.cli("SET", "goes-away", "1");
            restoreInto(target);
            assertThat(target.cli("DBSIZE").strip()).isEqualTo("501");
            assertThat(target.cli("-n", "3", "DBSIZE").strip()).isEqualTo("1");
            assertThat(target.cli("EXISTS", "goes-away").strip()).isEqualTo("0");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "7.0.15|10", "7.2.4|11", "7.4.1|12", "8.0.0|12", "6.2.14|9", "5.0.7|9", "4.0.14|8", "3.2.12|7", "x|-1"})
    void aServerReadsTheRdbFormatsOfItsVersionAndOlder(String version, int newest) {
        assertThat(RedisTargetCheck.newestRdbFormat(version)).isEqualTo(newest);
    }

    @Test
    void keysEvictedOrAddedDuringTheReplayAreAMismatch() {
        // five keys of db 0 expire at 1000..5000 ms, one more at 10000
        RdbReplay.Summary summary = new RdbReplay.Summary(10, Map.of(0, 100L, 3, 1L),
                Map.of(0, new long[]{1000, 2000, 3000, 4000, 5000, 10000}), 0);
        assertThat(RedisTargetCheck.keyMismatch(summary, Map.of(0, 100L, 3, 1L), 500)).isNull();
        // keys whose expiry has come by the count may be gone, and only those
        assertThat(RedisTargetCheck.keyMismatch(summary, Map.of(0, 95L, 3, 1L), 5000)).isNull();
        assertThat(RedisTargetCheck.keyMismatch(summary, Map.of(0, 95L, 3, 1L), 4999)).contains("db 0 holds 95");
        assertThat(RedisTargetCheck.keyMismatch(summary, Map.of(0, 94L, 3, 1L), 9000)).contains("db 0 holds 94 keys, the snapshot 100");
        assertThat(RedisTargetCheck.keyMismatch(summary, Map.of(0, 94L, 3, 1L), 10000)).isNull();
        assertThat(RedisTargetCheck.keyMismatch(summary, Map.of(0, 100L), 0)).contains("db 3 holds 0 keys");
        assertThat(RedisTargetCheck.keyMismatch(summary, Map.of(0, 100L, 3, 1L, 7, 2L), 0)).contains("db 7 holds 2 keys");
        assertThat(RedisTargetCheck.keyMismatch(summary, Map.of(0, 101L, 3, 1L), 0)).contains("db 0 holds 101");
        // a volatile policy can only evict keys with a TTL
        RdbReplay.Summary noTtl = new RdbReplay.Summary(10, Map.of(0, 100L), Map.of(), 0);
        assertThat(RedisTargetCheck.refusal(noTtl, "7.0.15", "1000000", "volatile-lru", "OK")).isNull();
        assertThat(RedisTargetCheck.refusal(summary, "7.0.15", "1000000", "volatile-lru", "OK")).contains("volatile-lru");
        assertThat(RedisTargetCheck.refusal(noTtl, "7.0.15", "1000000", "allkeys-lru", "OK")).contains("allkeys-lru");
        assertThat(RedisTargetCheck.refusal(summary, "6.2.14", "0", "noeviction", "OK"))
                .contains("RDB format 10 and Redis 6.2.14 reads formats up to 9");
        assertThat(RedisTargetCheck.refusal(summary, "7.0.15", "0", "allkeys-lru", "OK")).isNull();
    }

    private void restoreInto(RedisServer target) {
        DatabaseTarget t = TargetParser.parse(target.url());
        engine.restore(runner, t, rdb, new RestoreOptions(false, 1));
    }
}
