package io.dbsnap.core.engine.contract;

import org.junit.jupiter.api.BeforeAll;

/**
 * The Redis contract against a server that sends its RDB with a length ({@code repl-diskless-sync no},
 * Redis 6's default): redis-cli then writes the RDB and nothing after it, where a diskless server's
 * transfer (the parent's, Redis 7's default) leaves a 40-byte end marker on the stream.
 */
class RedisSizedTransferContractTest extends RedisContractTest {

    /** Runs after the parent's start: the same server, told to send a length. */
    @BeforeAll
    static void sendTheRdbWithALength() throws Exception {
        redis.cli("CONFIG", "SET", "repl-diskless-sync", "no");
    }

    @Override
    String transferReport() {
        return "SYNC sent to master, writing \\d+ bytes to '-'";
    }
}
