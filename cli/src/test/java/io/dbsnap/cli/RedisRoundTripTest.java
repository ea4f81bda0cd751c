package io.dbsnap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbsnap.core.testing.RedisSampleData;
import io.dbsnap.core.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis through dbsnap create and restore: after a restore, every key of every database has the
 * original's type, value and expiry (to the few seconds the comparison allows), binary keys too,
 * and keys written after the snapshot are gone. Bad connections fail and list nothing.
 */
class RedisRoundTripTest {

    static RedisServer redis;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        RedisSampleData.load(redis);
    }

    @AfterAll
    static void stop() throws Exception {
        redis.close();
    }

    private Cli cli() {
        return new Cli(work).fileStore(work.resolve("store"));
    }

    @Test
    void restoredServerEqualsTheOriginalKeyByKey() throws Exception {
        Map<String, String> original = RedisSampleData.fingerprint(redis);
        assertThat(original).hasSizeGreaterThan(RedisSampleData.STRINGS + 9_000);
        assertThat(original.values()).anyMatch(v -> v.startsWith("zset")).anyMatch(v -> v.startsWith("stream"))
                .anyMatch(v -> v.contains("expires@"));
        assertThat(original).containsKey("1 " + java.util.HexFormat.of().formatHex("db1:7".getBytes()));
        Cli cli = cli();

        JsonNode manifest = new ObjectMapper().readTree(cli.run("create", redis.url(), "--json").assertOk().out());
        assertThat(manifest.get("engine").asText()).isEqualTo("redis");
        assertThat(manifest.get("engineVersion").asText()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(manifest.get("files").get(0).get("name").asText()).isEqualTo("dump.rdb.zst");
        String id = manifest.get("id").asText();
        assertThat(cli.run("verify", "--id", id).assertOk().out()).contains("ok");

        try (Jedis jedis = RedisSampleData.connect(redis)) {
            jedis.set("written-after", "x");
            jedis.del("str:1", "hash:1");
            jedis.hset("hash:2", "name", "changed");
            jedis.persist("ttl:3");
            jedis.select(1);
            jedis.flushDB();
        }
        assertThat(RedisSampleData.fingerprint(redis)).isNotEqualTo(original);

        String out = cli.run("restore", redis.url(), "--id", id, "--force").assertOk().out();
        assertThat(out).contains("pre-restore snapshot");
        assertThat(RedisSampleData.fingerprint(redis)).isEqualTo(original);
    }

    @Test
    void badConnectionsFailClearlyAndListNothing() throws Exception {
        Cli cli = cli();
        Cli.Result wrongPassword = cli.run("create", "redis://:wrong-pass@127.0.0.1:" + redis.port());
        assertThat(wrongPassword.exit()).isNotZero();
        assertThat(wrongPassword.err()).containsAnyOf("WRONGPASS", "invalid password").doesNotContain("wrong-pass");

        Cli.Result noPassword = cli.run("create", "redis://127.0.0.1:" + redis.port());
        assertThat(noPassword.exit()).isNotZero();
        assertThat(noPassword.err()).contains("NOAUTH");

        int closed = MariaDbRoundTripTest.freePort();
        Cli.Result down = cli.run("create", "redis://127.0.0.1:" + closed);
        assertThat(down.exit()).isNotZero();
        assertThat(down.err()).contains("Could not connect to Redis at 127.0.0.1:" + closed);

        Cli.Result database = cli.run("create", "redis://127.0.0.1:" + redis.port() + "/orders");
        assertThat(database.exit()).isNotZero();
        assertThat(database.err()).contains("a snapshot holds every database");

        assertThat(cli.run("list", "--json").assertOk().out().strip()).isEqualTo("[ ]");
    }
}
