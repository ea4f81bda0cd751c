package io.dbsnap.core.engine.contract;

import io.dbsnap.core.testing.DatabaseFingerprint;
import io.dbsnap.core.testing.SqliteDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

class SqliteContractTest extends EngineContract {

    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void create() throws Exception {
        file = dir.resolve("app.db");
        SqliteDatabase.create(file);
    }

    @Override
    String engineName() {
        return "sqlite";
    }

    @Override
    String targetUrl() {
        return "sqlite://" + file;
    }

    @Override
    String password() {
        return null;
    }

    @Override
    DatabaseFingerprint fingerprint() {
        return DatabaseFingerprint.sqlite(file);
    }

    @Override
    void spoil() throws Exception {
        SqliteDatabase.sql(file, "DELETE FROM people; UPDATE counter SET n = n + 1;");
    }

    @Override
    String otherTargetUrl() {
        return "sqlite://" + dir.resolve("other.db");
    }

    @Override
    Map<String, String> refusedTargets() {
        return Map.of("sqlite://host/app.db", "by its absolute path",
                "sqlite://" + file + "?journal=off", "takes only allowPlainCopy=true|false");
    }
}
