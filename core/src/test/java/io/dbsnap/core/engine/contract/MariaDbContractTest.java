package io.dbsnap.core.engine.contract;

import io.dbsnap.core.testing.DatabaseFingerprint;
import io.dbsnap.core.testing.MariaDbSampleData;
import io.dbsnap.core.testing.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.Map;

class MariaDbContractTest extends EngineContract {

    private static MariaDbServer mariadb;
    /** Loaded once: every test leaves the data as it found it (a spoiled one restores it). */
    private static final String database = "contract";

    @BeforeAll
    static void start() throws Exception {
        mariadb = MariaDbServer.start();
        mariadb.createDatabase(database);
        MariaDbSampleData.load(mariadb, database);
    }

    @AfterAll
    static void stop() throws Exception {
        mariadb.close();
    }

    @Override
    String engineName() {
        return "mariadb";
    }

    @Override
    String targetUrl() {
        return mariadb.url(database);
    }

    @Override
    String password() {
        return mariadb.password();
    }

    @Override
    DatabaseFingerprint fingerprint() {
        return DatabaseFingerprint.mariadb(mariadb, database);
    }

    @Override
    void spoil() throws Exception {
        mariadb.sql(database, "DELETE FROM orders; UPDATE customers SET name = 'x'");
    }

    @Override
    String otherTargetUrl() {
        return mariadb.url(database + "_other");
    }

    @Override
    Map<String, String> refusedTargets() {
        return Map.of("mariadb://u:p@127.0.0.1:3306/db?ssl=true", "takes socket",
                "mysql://u@127.0.0.1/db?init_command=DROP", "unknown parameter 'init_command'");
    }
}
