package io.dbsnap.core.engine.contract;

import org.junit.jupiter.api.BeforeAll;

/**
 * The Redis contract with a redis-cli that says it is 6.2 (the installed one behind the shim): one
 * that cannot be trusted to write an RDB to a pipe gets a temporary file, as every redis-cli did before.
 */
class RedisOlderCliContractTest extends RedisContractTest {

    @BeforeAll
    static void sayVersion62() throws Exception {
        writeShim("[ \"$1\" = --version ] && { echo \"redis-cli 6.2.14\"; exit 0; }");
    }

    @Override
    String rdbArgument() {
        return "--rdb ./.dbsnap-copy.";
    }

    @Override
    String transferReport() {
        return "until EOF marker to '\\./\\.dbsnap-copy\\.";
    }
}
