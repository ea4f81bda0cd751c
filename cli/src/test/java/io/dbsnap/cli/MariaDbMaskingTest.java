package io.dbsnap.cli;

import io.dbsnap.core.testing.MariaDbServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code restore --mask} into real MariaDB: INSERTs with quotes, backslashes, newlines, unicode, NULLs and
 * hex blobs are masked value by value; a hashed foreign key still finds its row; the {@code sql} rule is
 * applied as each row arrives and leaves no trigger behind; two restores agree; the strict gate and a
 * collision on a unique key fail naming what to fix.
 */
class MariaDbMaskingTest {

    static final String KEY = "k3y-for-masking-tests-0123456789";
    static final String RULES = """
            strict: true
            tables:
              customers:
                id: hash
                email: hash
                name: fake name
                note: null
                balance: sql ROUND(balance, -2)
                photo: keep
                country: fixed XX
              orders:
                id: keep
                customer_email: hash
                customer_id: hash
                label: {fixed: "it's \\\\ 'quoted'"}
            """;

    static MariaDbServer db;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        db = MariaDbServer.start();
        db.createDatabase("shop");
        db.sql("shop", """
                CREATE TABLE customers (id int PRIMARY KEY, email varchar(255) NOT NULL UNIQUE, name varchar(100),
                  note text, balance decimal(12,2) NOT NULL, photo blob, country char(2),
                  shout varchar(110) AS (UPPER(name)) VIRTUAL) DEFAULT CHARSET=utf8mb4;
                CREATE TABLE orders (id int AUTO_INCREMENT PRIMARY KEY, customer_email varchar(255) NOT NULL,
                  customer_id int, label varchar(60),
                  FOREIGN KEY (customer_email) REFERENCES customers(email),
                  FOREIGN KEY (customer_id) REFERENCES customers(id)) DEFAULT CHARSET=utf8mb4;
                INSERT INTO customers (id, email, name, note, balance, photo, country)
                SELECT seq, CONCAT('user', seq, '@corp.example.org'), CONCAT('O''Brien \\\\ ', seq, ' Zoë'),
                       IF(seq % 3 = 0, NULL, CONCAT('line1\\nline2 ', seq)), seq * 1.5, UNHEX(MD5(seq)), 'DE'
                FROM seq_1_to_2000;
                INSERT INTO orders (customer_email, customer_id, label)
                SELECT CONCAT('user', seq % 2000 + 1, '@corp.example.org'), seq % 2000 + 1, 'plain'
                FROM seq_1_to_6000;
                """);
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    private Cli.Result restore(String target, String rules, String... more) throws Exception {
        Cli cli = new Cli(work).fileStore(work.resolve("store")).env("DBSNAP_MASK_KEY", KEY);
        if (Files.notExists(work.resolve("store"))) {
            cli.run("create", db.url("shop")).assertOk();
        }
        Files.writeString(work.resolve("rules.yaml"), rules);
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("restore", db.url(target),
                "--source", "local/127.0.0.1-" + db.port() + "-shop", "--latest", "--force", "--no-backup",
                "--mask", "rules.yaml"));
        args.addAll(java.util.List.of(more));
        return cli.run(args.toArray(String[]::new));
    }

    private String q(String database, String sql) throws Exception {
        return db.sql(database, sql).strip();
    }

    @Test
    void everyRuleMasksAndForeignKeysStillJoin() throws Exception {
        String out = restore("shop_masked", RULES).assertOk().out();
        assertThat(out).contains("mask customers.email: hash", "mask customers.balance: sql ROUND(balance, -2)");
        assertThat(q("shop_masked", "SELECT COUNT(*) FROM customers")).isEqualTo("2000");
        assertThat(q("shop_masked", "SELECT COUNT(*) FROM orders o JOIN customers c ON c.email = o.customer_email "
                + "AND c.id = o.customer_id")).isEqualTo("6000");
        assertThat(q("shop_masked", "SELECT COUNT(*) FROM customers WHERE email LIKE 'user%@corp.example.org' "
                + "OR name LIKE '%Brien%'")).isEqualTo("0");
        assertThat(q("shop_masked", "SELECT COUNT(*) FROM customers WHERE email NOT REGEXP "
                + "'^[a-z]{4}[0-9]+@[a-z]{4}\\\\.[a-z]{7}\\\\.org$'")).isEqualTo("0");
        assertThat(q("shop_masked", "SELECT COUNT(*) FROM customers WHERE note IS NOT NULL OR balance MOD 100 <> 0 "
                + "OR country <> 'XX'")).isEqualTo("0");
        // the generated column follows the masked name; kept blobs are byte for byte the original
        assertThat(q("shop_masked", "SELECT COUNT(*) FROM customers WHERE shout <> UPPER(name)")).isEqualTo("0");
        assertThat(q("shop_masked", "SELECT MD5(GROUP_CONCAT(HEX(photo) ORDER BY HEX(photo))) FROM customers"))
                .isEqualTo(q("shop", "SELECT MD5(GROUP_CONCAT(HEX(photo) ORDER BY HEX(photo))) FROM customers"));
        assertThat(q("shop_masked", "SELECT DISTINCT label FROM orders")).isEqualTo("it's \\\\ 'quoted'");
        assertThat(q("shop_masked", "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = "
                + "'shop_masked'")).isEqualTo("0");
        assertThat(q("shop", "SELECT COUNT(*) FROM customers WHERE email LIKE 'user%'")).isEqualTo("2000");

        restore("shop_masked_again", RULES).assertOk();
        String digest = "SELECT MD5(GROUP_CONCAT(CONCAT_WS('|', id, email, name, balance) ORDER BY id)) FROM customers";
        assertThat(q("shop_masked_again", digest)).isEqualTo(q("shop_masked", digest));
    }

    @Test
    void strictGateAndCollisionsNameWhatToFix() throws Exception {
        Cli.Result strict = restore("shop_strict", RULES.replace("    photo: keep\n", "").replace("    id: keep\n", ""));
        assertThat(strict.exit()).isEqualTo(1);
        assertThat(strict.err()).contains("strict: no rule covers 2 columns (customers.photo, orders.id)");
        assertThat(q(null, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'shop_strict'"))
                .isEqualTo("0");

        Cli.Result fixed = restore("shop_collide", RULES.replace("email: hash", "email: fixed same@example.com"));
        assertThat(fixed.err()).contains("customers.email (varchar(255)): fixed gives every row the same value, and the "
                + "column is a unique key");
        assertThat(q(null, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'shop_collide'"))
                .isEqualTo("0");

        // 26 letters hashed into 26 letters collide: the server refuses, and the message names the table
        db.sql("shop", "CREATE TABLE codes (code char(1) NOT NULL UNIQUE); INSERT INTO codes SELECT CHAR(96 + seq) "
                + "FROM seq_1_to_26;");
        try {
            new Cli(work).fileStore(work.resolve("store")).run("create", db.url("shop")).assertOk();
            Cli.Result collision = restore("shop_collide", RULES.replace("strict: true", "strict: false")
                    + "  codes:\n    code: hash\n");
            assertThat(collision.exit()).isEqualTo(1);
            assertThat(collision.err()).containsAnyOf("masking made two rows of codes share a value of its unique key",
                    "the server refused the masked rows of codes").contains("every row of it masked");
            // the client stops at the first refused statement: the tables after codes were never restored
            assertThat(q(null, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'shop_collide' "
                    + "AND TABLE_NAME = 'customers'")).isEqualTo("0");
        } finally {
            db.sql("shop", "DROP TABLE codes");
        }
    }
}
