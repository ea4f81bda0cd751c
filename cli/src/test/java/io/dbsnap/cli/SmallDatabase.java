package io.dbsnap.cli;

import io.dbsnap.core.testing.PostgresServer;

/** A quick database for tests about behaviour rather than data fidelity. */
final class SmallDatabase {

    private SmallDatabase() {
    }

    static void create(PostgresServer pg, String name) throws Exception {
        pg.createDatabase(name);
        pg.psql(name, """
                CREATE TABLE items (id serial PRIMARY KEY, label text NOT NULL, body bytea);
                INSERT INTO items (label, body) SELECT 'item ' || i || ' ✓', decode(md5(i::text), 'hex')
                FROM generate_series(1, 20000) AS i;
                """);
    }
}
