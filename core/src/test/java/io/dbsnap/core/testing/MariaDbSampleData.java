package io.dbsnap.core.testing;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A MariaDB database that exercises a dump: tables with keys, a foreign key and auto-increment state,
 * BLOBs with every byte value, utf8mb4 TEXT, decimals, dates and NULLs, a view, a trigger, a stored
 * procedure and function, and an event; and a fingerprint of all of it to compare after a restore.
 */
public final class MariaDbSampleData {

    private MariaDbSampleData() {
    }

    public static void load(MariaDbServer server, String database) throws IOException, InterruptedException {
        server.sql(database, """
                SET SESSION max_recursive_iterations = 1000000;
                CREATE TABLE customers (
                  id INT AUTO_INCREMENT PRIMARY KEY,
                  name VARCHAR(200) CHARACTER SET utf8mb4 NOT NULL,
                  note TEXT CHARACTER SET utf8mb4,
                  balance DECIMAL(12, 2) NOT NULL DEFAULT 0,
                  born DATE NULL,
                  updated_at DATETIME(6) NOT NULL DEFAULT '2026-01-01 00:00:00'
                ) ENGINE=InnoDB;
                CREATE TABLE orders (
                  id BIGINT AUTO_INCREMENT PRIMARY KEY,
                  customer_id INT NOT NULL,
                  amount DOUBLE NOT NULL,
                  payload BLOB,
                  FOREIGN KEY (customer_id) REFERENCES customers (id)
                ) ENGINE=InnoDB;
                CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(100) NOT NULL) ENGINE=InnoDB;
                INSERT INTO customers (name, note, balance, born)
                  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
                  SELECT CONCAT('customer ', i, IF(i % 7 = 0, ' 🦀 Grüße 日本', '')),
                         IF(i % 5 = 0, NULL, REPEAT(CONCAT('line ', i, ' \\t "quoted" \\'single\\' \\\\ backslash\\n'), 3)),
                         i * 1.25, IF(i % 3 = 0, NULL, DATE_ADD('1970-01-01', INTERVAL i DAY))
                  FROM n;
                INSERT INTO orders (customer_id, amount, payload)
                  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
                  SELECT 1 + i % 5000, i / 3, IF(i % 11 = 0, NULL, UNHEX(SHA2(i, 256))) FROM n;
                INSERT INTO orders (customer_id, amount, payload) VALUES (1, 0, UNHEX(REPEAT('00FF0A0D5C27225C', 64)));
                INSERT INTO orders (customer_id, amount, payload)
                  WITH RECURSIVE b(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM b WHERE i < 255)
                  SELECT 2, 0, (SELECT GROUP_CONCAT(CHAR(i) ORDER BY i SEPARATOR '') FROM b);
                DELETE FROM orders WHERE id > 19990 AND id < 20000;
                ALTER TABLE orders AUTO_INCREMENT = 31337;
                CREATE VIEW big_customers AS SELECT id, name FROM customers WHERE balance > 5000;
                CREATE TRIGGER orders_audit AFTER INSERT ON orders FOR EACH ROW
                  INSERT INTO audit (what) VALUES (CONCAT('order ', NEW.id));
                CREATE PROCEDURE add_customer(IN who VARCHAR(200)) INSERT INTO customers (name) VALUES (who);
                CREATE FUNCTION double_it(x INT) RETURNS INT DETERMINISTIC RETURN x * 2;
                CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 03:00:00' DISABLE
                  DO DELETE FROM audit WHERE id < 0;
                INSERT INTO orders (customer_id, amount) VALUES (3, 3.5);
                """);
    }

    /** Rows, definitions and auto-increment state, by object; the database's own name is left out. */
    public static Map<String, String> fingerprint(MariaDbServer server, String database)
            throws IOException, InterruptedException {
        Map<String, String> print = new LinkedHashMap<>();
        String schema = "'" + database + "'";
        for (String line : server.sql(database, "SELECT table_name, table_type, IFNULL(auto_increment, '-') FROM "
                + "information_schema.tables WHERE table_schema = " + schema + " ORDER BY table_name").split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] cols = line.split("\t");
            String table = cols[0];
            String columns = server.sql(database, "SELECT GROUP_CONCAT(CONCAT(column_name, ' ', column_type, ' ', "
                    + "is_nullable, ' ', IFNULL(column_default, '-'), ' ', IFNULL(character_set_name, '-')) "
                    + "ORDER BY ordinal_position SEPARATOR ', ') FROM information_schema.columns WHERE table_schema = "
                    + schema + " AND table_name = '" + table + "'").strip();
            String rows = "";
            if (cols[1].equals("BASE TABLE")) {
                String names = server.sql(database, "SELECT GROUP_CONCAT(CONCAT('IFNULL(HEX(CAST(`', column_name, "
                        + "'` AS BINARY)), ''NULL'')') ORDER BY ordinal_position) FROM information_schema.columns "
                        + "WHERE table_schema = " + schema + " AND table_name = '" + table + "'").strip();
                rows = server.sql(database, "SET SESSION group_concat_max_len = 1073741824; SELECT COUNT(*), "
                        + "SHA2(GROUP_CONCAT(CONCAT_WS(',', " + names + ") ORDER BY 1 SEPARATOR ';'), 256) FROM `"
                        + table + "`").strip();
            }
            print.put("table " + table, cols[1] + " auto_increment=" + cols[2] + " [" + columns + "] " + rows);
        }
        print.put("indexes", server.sql(database, "SELECT table_name, index_name, GROUP_CONCAT(column_name ORDER BY "
                + "seq_in_index), non_unique FROM information_schema.statistics WHERE table_schema = " + schema
                + " GROUP BY table_name, index_name, non_unique ORDER BY table_name, index_name"));
        print.put("foreign keys", server.sql(database, "SELECT constraint_name, table_name, referenced_table_name "
                + "FROM information_schema.referential_constraints WHERE constraint_schema = " + schema
                + " ORDER BY constraint_name"));
        print.put("views", server.sql(database, "SELECT table_name, view_definition FROM information_schema.views "
                + "WHERE table_schema = " + schema + " ORDER BY table_name").replace("`" + database + "`.", ""));
        print.put("triggers", server.sql(database, "SELECT trigger_name, event_manipulation, action_timing, "
                + "event_object_table, action_statement FROM information_schema.triggers WHERE trigger_schema = "
                + schema + " ORDER BY trigger_name"));
        print.put("routines", server.sql(database, "SELECT routine_name, routine_type, dtd_identifier, "
                + "routine_definition, is_deterministic FROM information_schema.routines WHERE routine_schema = "
                + schema + " ORDER BY routine_name"));
        print.put("events", server.sql(database, "SELECT event_name, event_definition, interval_value, interval_field, "
                + "starts, status FROM information_schema.events WHERE event_schema = " + schema
                + " ORDER BY event_name"));
        return print;
    }
}
