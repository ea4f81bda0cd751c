package io.dbsnap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbsnap.core.testing.MariaDbSampleData;
import io.dbsnap.core.testing.MariaDbServer;
import io.dbsnap.core.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MariaDB through dbsnap create and restore: the restored database equals the original in rows,
 * binary and utf8mb4 data, auto-increment state, the view, trigger, routines and event. A snapshot
 * of every database restores each under its own name. Bad connections fail and list nothing.
 */
class MariaDbRoundTripTest {

    static MariaDbServer db;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        db = MariaDbServer.start();
        db.createDatabase("shop");
        MariaDbSampleData.load(db, "shop");
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    private Cli cli() {
        return new Cli(work).fileStore(work.resolve("store"));
    }

    @Test
    void restoredDatabaseEqualsTheOriginal() throws Exception {
        Map<String, String> original = MariaDbSampleData.fingerprint(db, "shop");
        assertThat(original.get("table orders")).matches(".*auto_increment=3\\d{4} .*").contains("] 19994\t");
        assertThat(original.get("triggers")).contains("orders_audit");
        assertThat(original.get("events")).contains("nightly");
        Cli cli = cli();

        JsonNode manifest = new ObjectMapper().readTree(cli.run("create", db.url("shop"), "--json").assertOk().out());
        assertThat(manifest.get("engine").asText()).isEqualTo("mariadb");
        assertThat(manifest.get("engineVersion").asText()).matches("\\d+\\.\\d+\\.\\d+-MariaDB");
        assertThat(manifest.get("files").get(0).get("name").asText()).isEqualTo("dump.sql.zst");
        String id = manifest.get("id").asText();
        assertThat(cli.run("verify", "--id", id).assertOk().out()).contains("ok");

        cli.run("restore", db.url("shop_copy"), "--id", id, "--force").assertOk();
        assertThat(MariaDbSampleData.fingerprint(db, "shop_copy")).isEqualTo(original);

        db.sql("shop", """
                UPDATE customers SET name = 'changed' WHERE id % 3 = 0;
                DELETE FROM orders WHERE id > 10000;
                DROP TRIGGER orders_audit;
                DROP PROCEDURE add_customer;
                INSERT INTO audit (what) VALUES ('after the snapshot');
                """);
        assertThat(MariaDbSampleData.fingerprint(db, "shop")).isNotEqualTo(original);
        assertThat(cli.run("restore", db.url("shop"), "--id", id, "--force").assertOk().out())
                .contains("pre-restore snapshot");
        assertThat(MariaDbSampleData.fingerprint(db, "shop")).isEqualTo(original);
    }

    @Test
    void aSnapshotOfEveryDatabaseRestoresEachUnderItsOwnName() throws Exception {
        db.createDatabase("inventory");
        db.sql("inventory", "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(50)); INSERT INTO items VALUES (1, 'ß');");
        Map<String, String> shop = MariaDbSampleData.fingerprint(db, "shop");
        Map<String, String> inventory = MariaDbSampleData.fingerprint(db, "inventory");
        Cli cli = cli();
        String server = db.url("");
        cli.run("create", server, "--name", "everything").assertOk();
        // every database is the server's own folder
        assertThat(cli.run("list").assertOk().out()).contains("local/127.0.0.1-" + db.port() + " ");

        db.sql(null, "DROP DATABASE inventory; DROP TABLE shop.audit;");
        Cli.Result intoOne = cli.run("restore", db.url("shop"), "--latest", "--source", "127.0.0.1-" + db.port(), "--force");
        assertThat(intoOne.exit()).isNotZero();
        assertThat(intoOne.err()).contains("holds every database");

        cli.run("restore", server, "--latest", "--force", "--no-backup").assertOk();
        assertThat(MariaDbSampleData.fingerprint(db, "shop")).isEqualTo(shop);
        assertThat(MariaDbSampleData.fingerprint(db, "inventory")).isEqualTo(inventory);
        assertThat(db.sql(null, "SHOW DATABASES")).doesNotContain("dbsnap");
    }

    @Test
    void badConnectionsFailClearlyAndListNothing() throws Exception {
        Cli cli = cli();
        Cli.Result wrongPassword = cli.run("create", "mariadb://" + MariaDbServer.USER + ":wrong@127.0.0.1:"
                + db.port() + "/shop");
        assertThat(wrongPassword.exit()).isNotZero();
        assertThat(wrongPassword.err()).contains("Access denied").doesNotContain("wrong@");

        Cli.Result missingDatabase = cli.run("create", db.url("no_such_db"));
        assertThat(missingDatabase.exit()).isNotZero();
        assertThat(missingDatabase.err()).contains("Unknown database 'no_such_db'");

        int closed = freePort();
        Cli.Result down = cli.run("create", "mariadb://u:p@127.0.0.1:" + closed + "/shop");
        assertThat(down.exit()).isNotZero();
        assertThat(down.err()).contains("Can't connect");

        assertThat(cli.run("list", "--json").assertOk().out().strip()).isEqualTo("[ ]");
        assertThat(wrongPassword.all() + missingDatabase.all()).doesNotContain(db.password());
    }

    static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
