package io.dbsnap.core.engine.contract;

import io.dbsnap.core.testing.DatabaseFingerprint;
import io.dbsnap.core.testing.RedisSampleData;
import io.dbsnap.core.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.Map;

class RedisContractTest extends EngineContract {

    /** Loaded once: every test leaves the data as it found it (a spoiled one restores it). */
    static RedisServer redis;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        RedisSampleData.load(redis);
    }

    @AfterAll
    static void stop() throws Exception {
        redis.close();
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
