package io.dbsnap.core.engine.contract;

import io.dbsnap.core.testing.RedisSampleData;
import io.dbsnap.core.testing.RedisServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis contract against a server that sends its RDB with a length ({@code repl-diskless-sync no},
 * Redis 6's default): redis-cli then writes the RDB and nothing after it, where a diskless server's
 * transfer (the parent's, Redis 7's default) leaves a 40-byte end marker on the stream.
 */
class RedisSizedTransferContractTest extends RedisContractTest {

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start("--repl-diskless-sync", "no");
        RedisSampleData.load(redis);
    }

    @Test
    void theServerSendsItsRdbWithALength() throws Exception {
        assertThat(redis.cli("CONFIG", "GET", "repl-diskless-sync").strip()).endsWith("\nno");
    }
}
