package io.dbsnap.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbsnap.core.testing.DatabaseFingerprint;
import io.dbsnap.core.testing.PgSampleData;
import io.dbsnap.core.testing.WithPostgresAndS3;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code restore --jobs N} and {@code --no-owner}, against a real PostgreSQL with a non-superuser owner. */
class PostgresRestoreOptionsTest extends WithPostgresAndS3 {

    private static final String USER_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema') "
            + "AND n.nspname NOT LIKE 'pg_toast%'";

    @TempDir
    static Path work;
    private static String id;

    @BeforeAll
    static void snapshot() throws Exception {
        pg.createDatabase("options_source");
        PgSampleData.load(pg, "options_source");
        id = new ObjectMapper().readTree(cli().run("create", pg.url("options_source"), "--json").assertOk().out())
                .get("id").asText();
        pg.psql("postgres", "CREATE ROLE app_owner LOGIN PASSWORD 'app-owner-pw'");
    }

    private static Cli cli() {
        return new Cli(work).fileStore(work.resolve("store"));
    }

    @Test
    void aParallelRestoreBringsBackEqualData() throws Exception {
        cli().run("restore", pg.url("options_parallel"), "--id", id, "--jobs", "2", "--force").assertOk();
        assertThat(DatabaseFingerprint.postgres(pg, "options_parallel").take())
                .isEqualTo(DatabaseFingerprint.postgres(pg, "options_source").take());
    }

    @Test
    void noOwnerRestoresIntoADatabaseANonSuperuserOwnsAndWithoutItNothingChanges() throws Exception {
        pg.psql("postgres", "CREATE DATABASE options_owned OWNER app_owner");
        String asOwner = "postgresql://app_owner:app-owner-pw@127.0.0.1:" + pg.port() + "/options_owned";

        // as the archive says, every object would belong to postgres: app_owner may not do that, so nothing is kept
        Cli.Result refused = cli().run("restore", asOwner, "--id", id, "--force", "--no-backup");
        assertThat(refused.exit()).as(refused.all()).isEqualTo(1);
        assertThat(refused.err()).startsWith("dbsnap: ").contains("pg_restore");
        assertThat(pg.psql("options_owned", "SELECT count(*) FROM pg_class c JOIN pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE " + USER_SCHEMAS).strip()).as("relations left").isEqualTo("0");
        assertThat(pg.psql("options_owned", "SELECT count(*) FROM pg_namespace WHERE nspname IN ('shop', 'audit')")
                .strip()).as("schemas left").isEqualTo("0");

        cli().run("restore", asOwner, "--id", id, "--no-owner", "--force", "--no-backup").assertOk();
        assertThat(rows(DatabaseFingerprint.postgres(pg, "options_owned").take()))
                .isEqualTo(rows(DatabaseFingerprint.postgres(pg, "options_source").take()));
        assertThat(pg.psql("options_owned", "SELECT string_agg(DISTINCT pg_get_userbyid(c.relowner), ',') FROM "
                + "pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + USER_SCHEMAS).strip())
                .isEqualTo("app_owner");
    }

    /** The data and sequences, without the schema text that names owners. */
    private static Map<String, String> rows(Map<String, String> fingerprint) {
        Map<String, String> rows = new TreeMap<>(fingerprint);
        rows.keySet().removeIf(key -> !key.startsWith("table ") && !key.startsWith("sequence "));
        return rows;
    }
}
