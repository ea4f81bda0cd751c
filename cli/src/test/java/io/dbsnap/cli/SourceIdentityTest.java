package io.dbsnap.cli;

import io.dbsnap.core.testing.SqliteDatabase;
import io.dbsnap.core.testing.WithPostgresAndS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Databases that look alike are different sources: {@code restore --latest} into one never brings
 * back the other's data, and {@code prune} keeps the newest of each.
 */
class SourceIdentityTest extends WithPostgresAndS3 {

    @TempDir
    Path work;

    private Cli cli() {
        return new Cli(work).fileStore(work.resolve("store"));
    }

    @Test
    void databasesThatDifferOnlyInCaseOrPunctuationNeverShareASnapshot() throws Exception {
        List<String> names = List.of("orders", "Orders", "ORDERS", "or-ders", "or_ders", "or ders", "órders",
                "o".repeat(63));
        for (String name : names) {
            pg.createDatabase(name);
            pg.psql(name, "CREATE TABLE who (name text); INSERT INTO who VALUES ('" + name.replace("'", "''") + "');");
            cli().run("create", pg.url(name)).assertOk();
        }
        String listed = cli().run("list").assertOk().out();
        for (String name : names) {
            // each database overwritten, then restored from "its latest": its own data comes back
            pg.psql(name, "UPDATE who SET name = 'changed'");
            cli().run("restore", pg.url(name), "--latest", "--force", "--no-backup").assertOk();
            assertThat(pg.psql(name, "SELECT name FROM who").strip()).as(name + " in\n" + listed).isEqualTo(name);
        }
        // one more snapshot of one of them, then keep 1: every other database keeps its only snapshot
        cli().run("create", pg.url("Orders")).assertOk();
        Cli.Result pruned = cli().run("prune", "--keep", "1").assertOk();
        assertThat(pruned.out()).contains("deleted 1 snapshot(s)");
        for (String name : names) {
            pg.psql(name, "UPDATE who SET name = 'changed'");
            cli().run("restore", pg.url(name), "--latest", "--force", "--no-backup").assertOk();
            assertThat(pg.psql(name, "SELECT name FROM who").strip()).as(name).isEqualTo(name);
        }
    }

    @Test
    void sqliteFilesWhosePathsLookAlikeAreDifferentSources() throws Exception {
        Path dir = Files.createDirectories(work.resolve("a"));
        List<Path> files = List.of(dir.resolve("b.db"), work.resolve("a-b.db"), work.resolve("A-B.db"),
                work.resolve("a b.db"));
        for (Path file : files) {
            SqliteDatabase.create(file);
            SqliteDatabase.sql(file, "CREATE TABLE who (name TEXT); INSERT INTO who VALUES ('" + file + "');");
            cli().run("create", url(file)).assertOk();
        }
        for (Path file : files) {
            SqliteDatabase.sql(file, "UPDATE who SET name = 'changed';");
            cli().run("restore", url(file), "--latest", "--force", "--no-backup").assertOk();
            assertThat(SqliteDatabase.sql(file, "SELECT name FROM who;").strip()).isEqualTo(file.toString());
        }
    }

    private static String url(Path file) {
        return "sqlite://" + file.toString().replace(" ", "%20");
    }
}
