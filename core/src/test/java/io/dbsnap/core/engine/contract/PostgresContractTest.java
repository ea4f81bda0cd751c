package io.dbsnap.core.engine.contract;

import io.dbsnap.core.testing.DatabaseFingerprint;
import io.dbsnap.core.testing.PgSampleData;
import io.dbsnap.core.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.Map;

class PostgresContractTest extends EngineContract {

    private static PostgresServer pg;
    /** Loaded once: every test leaves the data as it found it (a spoiled one restores it). */
    private static final String database = "contract";

    @BeforeAll
    static void start() throws Exception {
        pg = PostgresServer.start();
        pg.createDatabase(database);
        PgSampleData.load(pg, database);
    }

    @AfterAll
    static void stop() throws Exception {
        pg.close();
    }

    @Override
    String engineName() {
        return "postgresql";
    }

    @Override
    String targetUrl() {
        return pg.url(database);
    }

    @Override
    String password() {
        return pg.password();
    }

    @Override
    DatabaseFingerprint fingerprint() {
        return DatabaseFingerprint.postgres(pg, database);
    }

    @Override
    void spoil() throws Exception {
        pg.psql(database, "DELETE FROM shop.customers WHERE id > 19990; UPDATE shop.customers SET name = 'x' WHERE id < 10");
    }

    @Override
    String otherTargetUrl() {
        return pg.url(database + "-other");
    }

    @Override
    Map<String, String> refusedTargets() {
        return Map.of("postgresql://u:p@127.0.0.1:5432", "names no database",
                "postgresql://u@127.0.0.1/db?host=/tmp/evil", "unknown parameter 'host'");
    }
}
