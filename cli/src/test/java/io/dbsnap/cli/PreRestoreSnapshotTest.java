package io.dbsnap.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbsnap.core.testing.DatabaseFingerprint;
import io.dbsnap.core.testing.MariaDbSampleData;
import io.dbsnap.core.testing.MariaDbServer;
import io.dbsnap.core.testing.RedisServer;
import io.dbsnap.core.testing.SqliteDatabase;
import io.dbsnap.core.testing.WithPostgresAndS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The safety net of every restore, for every engine: the snapshot taken of the target just before a
 * restore holds exactly what the target held (its fingerprint), and restoring it brings that back.
 * (What is changed afterwards is data and objects of the snapshot; an object dropped before the
 * restore stays as the restore made it, since a restore leaves objects not in its snapshot alone.)
 */
class PreRestoreSnapshotTest extends WithPostgresAndS3 {

    private static final Pattern PRE_RESTORE = Pattern.compile("pre-restore snapshot (\\S+) \\(restore it with --id");

    @TempDir
    static Path work;
    private static MariaDbServer mariadb;
    private static RedisServer redis;

    /** One engine's database: its URL, how it is changed after the snapshot, its fingerprint. */
    record Case(String url, Changer change, DatabaseFingerprint fingerprint) {
    }

    @FunctionalInterface
    interface Changer {
        void run() throws Exception;
    }

    @BeforeAll
    static void start() throws Exception {
        mariadb = MariaDbServer.start();
        redis = RedisServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable server : new AutoCloseable[]{mariadb, redis}) {
            if (server != null) {
                server.close();
            }
        }
    }

    private static Case prepare(String engine) throws Exception {
        switch (engine) {
            case "postgresql" -> {
                SmallDatabase.create(pg, "safety");
                return new Case(pg.url("safety"), () -> pg.psql("safety", """
                        DELETE FROM items WHERE id % 3 = 0;
                        UPDATE items SET label = 'changed after the snapshot' WHERE id < 100;
                        ALTER TABLE items ADD COLUMN note text DEFAULT 'new column';
                        CREATE INDEX items_label ON items (label);
                        """), DatabaseFingerprint.postgres(pg, "safety"));
            }
            case "mariadb" -> {
                mariadb.createDatabase("safety");
                MariaDbSampleData.load(mariadb, "safety");
                return new Case(mariadb.url("safety"), () -> mariadb.sql("safety", """
                        DELETE FROM orders WHERE id % 4 = 0;
                        INSERT INTO orders (customer_id, amount) VALUES (7, 77.7);
                        UPDATE customers SET note = 'changed after the snapshot' WHERE id < 50;
                        ALTER TABLE audit ADD COLUMN at INT NULL;
                        """), DatabaseFingerprint.mariadb(mariadb, "safety"));
            }
            case "redis" -> {
                redis.cli("SET", "greeting", "hello");
                redis.cli("HSET", "user:1", "name", "ada", "visits", "3");
                redis.cli("RPUSH", "queue", "a", "b", "c");
                redis.cli("SADD", "tags", "x", "y");
                redis.cli("ZADD", "scores", "1.5", "one");
                redis.cli("SET", "session", "s1", "PX", "3600000");
                return new Case(redis.url(), () -> {
                    redis.cli("DEL", "greeting");
                    redis.cli("HSET", "user:1", "visits", "4");
                    redis.cli("RPUSH", "queue", "d");
                    redis.cli("SET", "later", "written after the snapshot", "PX", "7200000");
                }, DatabaseFingerprint.redis(redis));
            }
            default -> {
                Path file = work.resolve("safety.db");
                SqliteDatabase.create(file);
                return new Case("sqlite://" + file, () -> SqliteDatabase.sql(file, """
                        DELETE FROM log WHERE seq % 2 = 0;
                        CREATE TABLE added (x TEXT);
                        INSERT INTO added VALUES ('after the snapshot');
                        """), DatabaseFingerprint.sqlite(file));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb", "redis", "sqlite"})
    void thePreRestoreSnapshotHoldsTheTargetAsItWasAndRestoresIt(String engine) throws Exception {
        Case db = prepare(engine);
        Cli cli = new Cli(work).fileStore(work.resolve("store-" + engine));
        Map<String, String> original = db.fingerprint().take();
        String id = new ObjectMapper().readTree(cli.run("create", db.url(), "--json").assertOk().out())
                .get("id").asText();
        db.change().run();
        Map<String, String> changed = db.fingerprint().take();
        assertThat(changed).as("the change shows in the fingerprint").isNotEqualTo(original);

        Cli.Result restore = cli.run("restore", db.url(), "--id", id, "--force").assertOk();
        assertThat(db.fingerprint().take()).as("restored").isEqualTo(original);
        Matcher backup = PRE_RESTORE.matcher(restore.out());
        assertThat(backup.find()).as(restore.out()).isTrue();

        cli.run("verify", "--id", backup.group(1)).assertOk();
        cli.run("restore", db.url(), "--id", backup.group(1), "--force", "--no-backup").assertOk();
        assertThat(db.fingerprint().take()).as("the pre-restore snapshot, restored").isEqualTo(changed);
    }

    /** "Objects in the snapshot replace their namesakes; others are left alone" (PostgreSQL, MySQL). */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void objectsMadeAfterTheSnapshotAreLeftAlone(String engine) throws Exception {
        boolean postgres = engine.equals("postgresql");
        String url;
        if (postgres) {
            SmallDatabase.create(pg, "kept");
            url = pg.url("kept");
        } else {
            mariadb.createDatabase("kept");
            MariaDbSampleData.load(mariadb, "kept");
            url = mariadb.url("kept");
        }
        String count = postgres ? "SELECT count(*) FROM items" : "SELECT COUNT(*) FROM orders";
        String rows = postgres ? pg.psql("kept", count).strip() : mariadb.sql("kept", count).strip();
        Cli cli = new Cli(work).fileStore(work.resolve("kept-" + engine));
        String id = new ObjectMapper().readTree(cli.run("create", url, "--json").assertOk().out()).get("id").asText();
        String later = """
                CREATE TABLE added_later (x INT);
                INSERT INTO added_later VALUES (1), (2), (3);
                CREATE VIEW added_view AS SELECT x FROM added_later WHERE x > 1;
                """;
        if (postgres) {
            pg.psql("kept", later + "DELETE FROM items WHERE id > 10;");
        } else {
            mariadb.sql("kept", later + "DELETE FROM orders WHERE id > 10;");
        }

        cli.run("restore", url, "--id", id, "--force", "--no-backup").assertOk();

        if (postgres) {
            assertThat(pg.psql("kept", count).strip()).isEqualTo(rows);
            assertThat(pg.psql("kept", "SELECT string_agg(x::text, ',' ORDER BY x) FROM added_later").strip())
                    .isEqualTo("1,2,3");
            assertThat(pg.psql("kept", "SELECT string_agg(x::text, ',' ORDER BY x) FROM added_view").strip())
                    .isEqualTo("2,3");
        } else {
            assertThat(mariadb.sql("kept", count).strip()).isEqualTo(rows);
            assertThat(mariadb.sql("kept", "SELECT GROUP_CONCAT(x ORDER BY x) FROM added_later").strip())
                    .isEqualTo("1,2,3");
            assertThat(mariadb.sql("kept", "SELECT GROUP_CONCAT(x ORDER BY x) FROM added_view").strip())
                    .isEqualTo("2,3");
        }
    }
}
