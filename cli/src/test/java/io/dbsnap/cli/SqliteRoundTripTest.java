package io.dbsnap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbsnap.core.testing.SqliteDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQLite through dbsnap create and restore: a snapshot taken while another process writes opens
 * cleanly and holds a consistent prefix of the writes; restore replaces the file (and its stale WAL)
 * so the data equals the snapshot's. A missing file or a file that is no database fails and lists
 * nothing.
 */
class SqliteRoundTripTest {

    @TempDir
    Path work;

    private Cli cli() {
        return new Cli(work).fileStore(work.resolve("store"));
    }

    @Test
    void aSnapshotTakenDuringWritesIsConsistentAndRestoresExactly() throws Exception {
        Path db = work.resolve("app.db");
        SqliteDatabase.create(db);
        Cli cli = cli();
        JsonNode manifest;
        try (SqliteDatabase.Writer writer = SqliteDatabase.startWriter(db)) {
            writer.awaitCommits(200);
            manifest = new ObjectMapper().readTree(cli.run("create", "sqlite://" + db, "--json").assertOk().out());
            writer.awaitCommits(writer.commits() + 100);
        }
        assertThat(manifest.get("engine").asText()).isEqualTo("sqlite");
        assertThat(manifest.get("files").get(0).get("name").asText()).isEqualTo("app.db.zst");
        String id = manifest.get("id").asText();

        // the snapshot, as a file of its own: opens cleanly and holds a consistent prefix of the writes
        Path copy = work.resolve("copy.db");
        cli.run("restore", "sqlite://" + copy, "--id", id, "--force").assertOk();
        assertThat(SqliteDatabase.sql(copy, "PRAGMA integrity_check;").strip()).isEqualTo("ok");
        long rows = Long.parseLong(SqliteDatabase.sql(copy, "SELECT count(*) FROM log;").strip());
        assertThat(rows).isGreaterThanOrEqualTo(200);
        assertThat(SqliteDatabase.sql(copy, "SELECT max(seq) = count(*), (SELECT n FROM counter) = count(*) FROM log;")
                .strip()).isEqualTo("1|1");
        assertThat(rows).isLessThan(Long.parseLong(SqliteDatabase.sql(db, "SELECT count(*) FROM log;").strip()));

        // over the original, which went on changing: it becomes the snapshot again
        String snapshot = SqliteDatabase.dump(copy);
        assertThat(SqliteDatabase.dump(db)).isNotEqualTo(snapshot);
        String out = cli.run("restore", "sqlite://" + db, "--id", id, "--force").assertOk().out();
        assertThat(out).contains("pre-restore snapshot");
        assertThat(SqliteDatabase.dump(db)).isEqualTo(snapshot);
        assertThat(SqliteDatabase.dump(db)).contains("CREATE TRIGGER", "CREATE VIEW", "CREATE INDEX", "Grüße 🦀");
        try (var files = Files.list(work)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".dbsnap-restore"));
        }
    }

    @Test
    void missingFilesAndFilesThatAreNoDatabaseFailAndListNothing() throws Exception {
        Cli cli = cli();
        Cli.Result missing = cli.run("create", "sqlite://" + work.resolve("nope.db"));
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("no SQLite database file " + work.resolve("nope.db"));

        Path text = work.resolve("notes.db");
        Files.writeString(text, "this is not a database, but it is long enough to look like a file header. ".repeat(20));
        Cli.Result notADatabase = cli.run("create", "sqlite://" + text);
        assertThat(notADatabase.exit()).isNotZero();
        assertThat(notADatabase.err()).contains("is not a SQLite database");

        Cli.Result relative = cli.run("create", "sqlite://app.db");
        assertThat(relative.exit()).isNotZero();
        assertThat(relative.err()).contains("absolute path");

        assertThat(cli.run("list", "--json").assertOk().out().strip()).isEqualTo("[ ]");
    }

    @Test
    void aRestoreOverADatabaseWhoseWalHoldsNewerWritesBringsBackTheSnapshotAndKeepsModeAndOwner() throws Exception {
        Path db = work.resolve("busy.db");
        SqliteDatabase.create(db);
        Cli cli = cli();
        String id = new ObjectMapper().readTree(cli.run("create", "sqlite://" + db, "--json").assertOk().out())
                .get("id").asText();
        String snapshot = SqliteDatabase.dump(db);
        java.nio.file.Files.setPosixFilePermissions(db, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            java.nio.file.Files.setAttribute(db, "unix:uid", 4321);
            java.nio.file.Files.setAttribute(db, "unix:gid", 4322);
        }

        // an application still connected, whose last transactions sit in the -wal, not yet in the file
        // a busy timeout, as a real application has: the test's own readers closing the database checkpoint it
        // under a lock for a moment, and without one the application's writes fail with "database is locked"
        Path appLog = work.resolve("app.log");
        Process app = new ProcessBuilder("sqlite3", db.toString()).redirectErrorStream(true)
                .redirectOutput(appLog.toFile()).start();
        try {
            java.io.OutputStream in = app.getOutputStream();
            in.write((".timeout 10000\nPRAGMA wal_autocheckpoint = 0;\nINSERT INTO log (at, payload) SELECT 'in the wal', "
                    + "randomblob(500) FROM people;\nUPDATE counter SET n = n + 2000;\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            in.flush();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (!SqliteDatabase.sql(db, "SELECT n >= 2000 FROM counter;").strip().equals("1")) {
                assertThat(System.nanoTime()).as("the application's writes are committed; it said: %s",
                        java.nio.file.Files.readString(appLog)).isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(java.nio.file.Files.size(work.resolve("busy.db-wal"))).as("the -wal holds them")
                    .isGreaterThan(500_000);

            cli.run("restore", "sqlite://" + db, "--id", id, "--force", "--no-backup").assertOk();

            assertThat(SqliteDatabase.dump(db)).as("while the application is still connected").isEqualTo(snapshot);
        } finally {
            app.getOutputStream().close();
            app.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(SqliteDatabase.dump(db)).as("after it disconnected").isEqualTo(snapshot);
        assertThat(SqliteDatabase.sql(db, "PRAGMA integrity_check;").strip()).isEqualTo("ok");
        assertThat(java.nio.file.Files.getPosixFilePermissions(db))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        if (root) {
            assertThat(java.nio.file.Files.getAttribute(db, "unix:uid")).isEqualTo(4321);
            assertThat(java.nio.file.Files.getAttribute(db, "unix:gid")).isEqualTo(4322);
        }
    }
}
