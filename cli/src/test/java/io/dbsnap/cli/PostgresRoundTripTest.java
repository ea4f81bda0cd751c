package io.dbsnap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbsnap.core.testing.WithPostgresAndS3;
import io.dbsnap.core.testing.PgFingerprint;
import io.dbsnap.core.testing.PgSampleData;
import io.dbsnap.core.testing.PostgresServer;
import io.dbsnap.core.testing.S3Server;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A snapshot restored into a fresh database, and over the original after it changed, holds exactly
 * the original's data and objects: compared table by table, sequence by sequence, definition by
 * definition. Through S3 (S3Proxy) and through a local directory.
 */
class PostgresRoundTripTest extends WithPostgresAndS3 {


    @TempDir
    Path work;

    @BeforeAll
    static void prepare() throws Exception {
        s3.createBucket("snaps");
    }


    Cli cli(String store) {
        Cli cli = new Cli(work);
        if (store.equals("s3")) {
            cli.s3Store(s3, "s3://snaps/roundtrip");
        } else {
            cli.fileStore(work.resolve("store"));
        }
        return cli;
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "file"})
    void restoredDataEqualsTheOriginal(String store) throws Exception {
        String db = "orders_" + store;
        pg.createDatabase(db);
        PgSampleData.load(pg, db);
        Map<String, String> original = PgFingerprint.of(pg, db);
        assertThat(original.get("table shop.orders")).startsWith("100000 rows");
        assertThat(original.get("sequence audit.ticket_seq")).isEqualTo("4242 true");
        Cli cli = cli(store);

        JsonNode manifest = new ObjectMapper().readTree(cli.run("create", pg.url(db), "--tag", "before-change",
                "--note", "round trip ✓", "--json").assertOk().out());
        assertThat(manifest.get("engine").asText()).isEqualTo("postgresql");
        assertThat(manifest.get("engineVersion").asText()).matches("\\d+\\.\\d+");
        assertThat(manifest.get("compression").asText()).isEqualTo("zstd");
        JsonNode file = manifest.get("files").get(0);
        assertThat(file.get("name").asText()).isEqualTo("pg.dump.zst");
        assertThat(file.get("rawSize").asLong()).isGreaterThan(file.get("size").asLong());

        JsonNode listed = new ObjectMapper().readTree(cli.run("list", "--json").assertOk().out());
        JsonNode entry = null;
        for (JsonNode node : listed) {
            if (node.get("id").asText().equals(manifest.get("id").asText())) {
                entry = node;
            }
        }
        assertThat(entry).isNotNull();
        assertThat(entry.get("note").asText()).isEqualTo("round trip ✓");
        // the stored object's own SHA-256 is the manifest's: sha256sum of a download matches
        assertThat(sha256(store, entry.get("location").asText() + file.get("name").asText()))
                .isEqualTo(file.get("sha256").asText());
        assertThat(cli.run("verify", "--id", manifest.get("id").asText()).assertOk().out()).contains("ok");

        // into a fresh database, which dbsnap creates
        String fresh = db + "_fresh";
        cli.run("restore", pg.url(fresh), "--id", manifest.get("id").asText(), "--force").assertOk();
        assertThat(PgFingerprint.of(pg, fresh)).isEqualTo(original);

        // over the original after it changed: rows, a dropped table, a sequence, a view
        pg.psql(db, """
                UPDATE shop.customers SET name = 'changed', balance = 0 WHERE id % 3 = 0;
                DELETE FROM shop.orders WHERE id > 50000;
                DROP TABLE audit.events;
                SELECT setval('audit.ticket_seq', 99999);
                DROP VIEW shop.customer_totals;
                CREATE VIEW shop.customer_totals AS SELECT 1 AS id;
                UPDATE shop.blobs SET data = '\\x01' WHERE id = 1;
                """);
        assertThat(PgFingerprint.of(pg, db)).isNotEqualTo(original);
        String out = cli.run("restore", pg.url(db), "--tag", "before-change", "--force").assertOk().out();
        assertThat(out).contains("pre-restore snapshot");
        assertThat(PgFingerprint.of(pg, db)).isEqualTo(original);

        // the pre-restore snapshot holds the changed state and is itself restorable
        assertThat(cli.run("list").assertOk().out()).contains("pre-restore");
    }

    private String sha256(String store, String location) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        InputStream in;
        if (store.equals("s3")) {
            String key = location.substring("s3://snaps/".length());
            in = s3.client().getObject(b -> b.bucket("snaps").key(key));
        } else {
            in = Files.newInputStream(Path.of(location.substring("file://".length())));
        }
        try (in) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
