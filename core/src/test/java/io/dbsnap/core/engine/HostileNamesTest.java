package io.dbsnap.core.engine;

import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.core.catalog.SnapshotCatalog;
import io.dbsnap.core.catalog.SnapshotEntry;
import io.dbsnap.core.pipeline.SnapshotRequest;
import io.dbsnap.core.pipeline.SnapshotRestorer;
import io.dbsnap.core.pipeline.SnapshotWriter;
import io.dbsnap.core.pipeline.TransferListener;
import io.dbsnap.core.process.LocalProcessRunner;
import io.dbsnap.core.store.FileObjectStore;
import io.dbsnap.core.database.DatabaseTarget;
import io.dbsnap.core.database.TargetParser;
import io.dbsnap.core.testing.MariaDbServer;
import io.dbsnap.core.testing.SqliteDatabase;
import io.dbsnap.core.testing.WithPostgresAndS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Names an attacker can give a database, in the server itself: each reaches the dump and restore
 * tools only as a name, never as an option or a connection string. The data round-trips, or the
 * snapshot fails clearly; no file outside the store is written and no other database is touched.
 */
class HostileNamesTest extends WithPostgresAndS3 {

    private static MariaDbServer mariadb;
    @TempDir
    static Path outside;
    @TempDir
    Path storeDir;
    @TempDir
    Path scratch;

    @BeforeAll
    static void startMariaDb() throws Exception {
        mariadb = MariaDbServer.start();
    }

    @AfterAll
    static void stopMariaDb() throws Exception {
        if (mariadb != null) {
            mariadb.close();
        }
    }

    @ParameterizedTest(name = "PostgreSQL database named {0}")
    @ValueSource(strings = {"--no-data", "-d", "dbname=postgres", "host=127.0.0.2 dbname=postgres",
            "postgresql://127.0.0.1/postgres", "two words", "it's \\ \"odd\"", "Ünïcödé 🦀", "--schema-only"})
    void aPostgresNameIsOnlyEverAName(String name) throws Exception {
        pg.createDatabase(name);
        pg.psql(name, "CREATE TABLE rows AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 500) g");
        String copy = name + " copy";

        Manifest manifest = snapshot(TargetParser.parse(pg.url(name)));
        assertThat(manifest.source().database()).isEqualTo(name);
        restore(TargetParser.parse(pg.url(copy)), manifest);

        assertThat(pg.psql(copy, "SELECT count(*), sum(length(v)) FROM rows").strip()).isEqualTo("500|16000");
        // nothing reached the database a connection string would have named
        assertThat(pg.psql("postgres", "SELECT count(*) FROM pg_tables WHERE tablename = 'rows'").strip()).isEqualTo("0");
        pg.dropDatabase(name);
        pg.dropDatabase(copy);
    }

    @Test
    void mariadbNamesFromTheServerItselfAreOnlyEverNames() throws Exception {
        Path outside = Files.createDirectories(HostileNamesTest.outside.resolve("mariadb"));
        Path evil = outside.resolve("evil.sql");
        List<String> names = List.of("--no-data", "-d", "--result-file=" + evil, "--where=0", "--tab=" + outside,
                "two words", "back`tick", "Ünïcödé");
        for (String name : names) {
            mariadb.createDatabase(name);
            mariadb.sql(name, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(40)); "
                    + "INSERT INTO t SELECT seq, MD5(seq) FROM seq_1_to_300;");
        }

        // every database, as listed by the server
        Manifest all = snapshot(TargetParser.parse(mariadb.url("")));
        for (String name : names) {
            mariadb.sql(null, "DROP DATABASE `" + name.replace("`", "``") + "`");
        }
        restore(TargetParser.parse(mariadb.url("")), all);
        for (String name : names) {
            assertThat(mariadb.sql(name, "SELECT COUNT(*), SUM(LENGTH(v)) FROM t").strip()).as(name)
                    .isEqualTo("300\t9600");
        }

        // one database named in the URL
        for (String name : List.of("--no-data", "--result-file=" + evil)) {
            Manifest one = snapshot(TargetParser.parse(mariadb.url(name)));
            // (a database name has at most 64 characters)
            String copy = "--where=0-copy-" + name.length();
            restore(TargetParser.parse(mariadb.url(copy)), one);
            assertThat(mariadb.sql(copy, "SELECT COUNT(*) FROM t").strip()).as(name).isEqualTo("300");
        }
        assertThat(evil).doesNotExist();
        try (var files = Files.list(outside)) {
            assertThat(files).as("files written outside the store").isEmpty();
        }
    }

    @Test
    void anEveryDatabaseSnapshotRefusesNamesTheListingCannotCarry() throws Exception {
        MariaDbServer server = MariaDbServer.start();
        try (server) {
            server.createDatabase("shop");
            server.sql(null, "CREATE DATABASE `shop\nmysql`");
            assertThatThrownBy(() -> snapshot(TargetParser.parse(server.url(""))))
                    .hasMessageContaining("line break, tab or backslash")
                    .hasMessageContaining("name the database");
            assertThat(new SnapshotCatalog(new FileObjectStore(storeDir), w -> { }).list()).isEmpty();
        }
    }

    @ParameterizedTest(name = "SQLite file in {0}")
    @ValueSource(strings = {"it's", "-rf", "a b", "--", "x' '.y", "\"q\""})
    void aSqliteFileInAnOddlyNamedDirectoryIsCopiedAndPutBack(String dirName) throws Exception {
        Path dir = Files.createDirectories(outside.resolve(dirName));
        Path db = dir.resolve("-app.db");
        SqliteDatabase.create(db);
        String before = SqliteDatabase.dump(db);
        DatabaseTarget target = TargetParser.parse("sqlite://" + db.toString().replace("%", "%25").replace(" ", "%20")
                .replace("\"", "%22"));
        assertThat(target.database()).isEqualTo(db.toString().substring(1));

        Manifest manifest = snapshot(target);
        SqliteDatabase.sql(db, "DELETE FROM people;");
        restore(target, manifest);

        assertThat(SqliteDatabase.dump(db)).isEqualTo(before);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("-app.db");
        }
    }

    private Manifest snapshot(DatabaseTarget target) {
        return new SnapshotWriter(new LocalProcessRunner(), Clock.systemUTC()).take(Engines.forTarget(target), target,
                new FileObjectStore(storeDir), SnapshotRequest.named("hostile"), TransferListener.NONE);
    }

    private void restore(DatabaseTarget target, Manifest manifest) {
        FileObjectStore store = new FileObjectStore(storeDir);
        SnapshotEntry entry = new SnapshotCatalog(store, w -> { }).list().stream()
                .filter(e -> e.id().equals(manifest.id()) && e.manifest().source().equals(manifest.source()))
                .findFirst().orElseThrow();
        new SnapshotRestorer(new LocalProcessRunner(), new SnapshotWriter(new LocalProcessRunner(), Clock.systemUTC()),
                scratch).restore(Engines.forTarget(target), target, store, entry,
                new SnapshotRestorer.Request(false, new RestoreOptions(false, 1)), TransferListener.NONE);
    }
}
