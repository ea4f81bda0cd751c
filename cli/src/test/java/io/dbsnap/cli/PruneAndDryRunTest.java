package io.dbsnap.cli;

import io.dbsnap.core.testing.WithPostgresAndS3;
import io.dbsnap.core.testing.PgFingerprint;
import io.dbsnap.core.testing.PostgresServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class PruneAndDryRunTest extends WithPostgresAndS3 {


    @TempDir
    Path work;

    @BeforeAll
    static void prepare() throws Exception {
        SmallDatabase.create(pg, "app");
        SmallDatabase.create(pg, "other");
    }


    private Cli cli() {
        return new Cli(work).fileStore(work.resolve("store"));
    }

    private long files() throws Exception {
        try (Stream<Path> files = Files.walk(work.resolve("store"))) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void pruneKeepsTheNewestPerSourceAndDryRunDeletesNothing() throws Exception {
        for (int i = 0; i < 4; i++) {
            cli().run("create", pg.url("app"), "--name", "app-" + i).assertOk();
        }
        cli().run("create", pg.url("other")).assertOk();
        assertThat(files()).isEqualTo(10);

        Cli.Result dry = cli().run("prune", "--keep", "1", "--dry-run").assertOk();
        assertThat(dry.out()).contains("would delete", "app-0", "app-1", "app-2")
                .doesNotContainPattern("would delete \\S+app-3").containsPattern("keep +\\S+app-3 +newest Succeeded")
                .contains("would delete 3 snapshot(s)");
        assertThat(files()).isEqualTo(10);

        Cli.Result real = cli().run("prune", "--keep", "2", "--source", "127.0.0.1-" + pg.port() + "-app").assertOk();
        assertThat(real.out()).contains("deleted 2 snapshot(s)").contains("kept 2");
        String listed = cli().run("list").assertOk().out();
        assertThat(listed).contains("app-2", "app-3", "other").doesNotContain("app-0", "app-1");
        assertThat(files()).isEqualTo(6);

        Cli.Result negative = cli().run("prune", "--keep", "-1");
        assertThat(negative.exit()).isEqualTo(2);
    }

    @Test
    void pruneTakesTheSchedulesRetentionRulesAndSaysWhatEachKeeps() throws Exception {
        for (int i = 0; i < 3; i++) {
            cli().run("create", pg.url("app"), "--name", "daily-" + i).assertOk();
        }
        // three snapshots of one day: keep-daily 1 keeps the newest of them, and says why
        Cli.Result dry = cli().run("prune", "--keep-daily", "1", "--time-zone", "Europe/Zurich", "--dry-run")
                .assertOk();
        assertThat(dry.out()).contains("(daily 1)").containsPattern("keep +\\S+daily-2 +newest Succeeded, daily 20")
                .contains("would delete 2 snapshot(s)");
        // max age alone: all are younger than a day, nothing goes
        assertThat(cli().run("prune", "--max-age", "1d").assertOk().out()).contains("deleted 0 snapshot(s)");
        assertThat(listedIds()).hasSize(3);
        // no rule at all is a mistake, not "delete everything" or "keep everything" by surprise
        Cli.Result none = cli().run("prune");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("say what to keep");
        Cli.Result zone = cli().run("prune", "--keep-daily", "1", "--time-zone", "Mars/Olympus");
        assertThat(zone.exit()).isEqualTo(2);
        assertThat(zone.err()).contains("Mars/Olympus", "IANA");
        assertThat(listedIds()).hasSize(3);
        cli().run("prune", "--keep-last", "1").assertOk();
        assertThat(listedIds()).singleElement().asString().contains("daily-2");
    }

    private List<String> listedIds() throws Exception {
        return cli().run("list").assertOk().out().lines().filter(l -> l.contains("daily-")).toList();
    }

    @Test
    void pruneDiscardsWhatKilledRunsLeftButOnlyOnceOldEnough() throws Exception {
        cli().run("create", pg.url("app"), "--name", "kept").assertOk();
        // the name the store gives a file it is writing
        Path partial = work.resolve("store/local/127.0.0.1-" + pg.port() + "-app/20260101-000000-killed/"
                + ".pg.dump.zst.partial-0b0e1c1e-7c36-4c1c-9d40-3a3a3a3a3a3a");
        Files.createDirectories(partial.getParent());
        Files.write(partial, new byte[4096]);

        Cli.Result young = cli().run("prune", "--keep", "5").assertOk();
        assertThat(young.out()).doesNotContain("unfinished");
        assertThat(partial).exists();

        Cli.Result dry = cli().run("prune", "--keep", "5", "--incomplete-older-than", "0s", "--dry-run").assertOk();
        assertThat(dry.out()).contains("would discard unfinished write local/127.0.0.1-" + pg.port() + "-app/20260101-000000-killed/");
        assertThat(partial).exists();

        Cli.Result other = cli().run("prune", "--keep", "5", "--incomplete-older-than", "0s", "--source", "elsewhere").assertOk();
        assertThat(other.out()).doesNotContain("unfinished");

        Cli.Result real = cli().run("prune", "--keep", "5", "--incomplete-older-than", "0s").assertOk();
        assertThat(real.out()).contains("discarded unfinished write");
        assertThat(partial).doesNotExist();
        assertThat(partial.getParent()).as("the killed run's folder goes too").doesNotExist();
        assertThat(cli().run("list").assertOk().out()).contains("kept");

        Cli.Result bad = cli().run("prune", "--keep", "5", "--incomplete-older-than", "soon");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("is not a duration");
    }

    @Test
    void pruneReclaimsAFolderThatNeverGotAManifestButNeverTheDataOfASnapshot() throws Exception {
        cli().run("create", pg.url("app"), "--name", "kept").assertOk();
        // a run that died after its data was stored and before its manifest was
        Path orphan = work.resolve("store/local/127.0.0.1-" + pg.port() + "-app/20260101-000000-died/pg.dump.zst");
        Files.createDirectories(orphan.getParent());
        Files.write(orphan, new byte[4096]);
        // files that only look like leftovers, in a folder that is not a snapshot's
        Path notOurs = work.resolve("store/local/notes.txt");
        Files.write(notOurs, new byte[10]);

        assertThat(cli().run("prune", "--keep", "5").assertOk().out()).doesNotContain("without a manifest");
        assertThat(orphan).exists();
        Cli.Result dry = cli().run("prune", "--keep", "5", "--incomplete-older-than", "0s", "--dry-run").assertOk();
        assertThat(dry.out()).contains("would discard folder without a manifest local/127.0.0.1-" + pg.port()
                + "-app/20260101-000000-died/");
        assertThat(orphan).exists();

        cli().run("prune", "--keep", "5", "--incomplete-older-than", "0s").assertOk();
        assertThat(orphan).doesNotExist();
        assertThat(orphan.getParent()).doesNotExist();
        assertThat(notOurs).exists();
        assertThat(cli().run("list").assertOk().out()).contains("kept");
        cli().run("verify", "--all").assertOk();
    }

    @Test
    void restoreDryRunChangesNothing() throws Exception {
        cli().run("create", pg.url("app"), "--tag", "dry").assertOk();
        pg.psql("app", "DELETE FROM items WHERE id > 10");
        Map<String, String> before = PgFingerprint.of(pg, "app");
        long filesBefore = files();
        Cli.Result dry = cli().run("restore", pg.url("app"), "--tag", "dry", "--dry-run").assertOk();
        assertThat(dry.out()).startsWith("would restore").contains("sha256 verified")
                .contains("  restore into database app").contains("  replace table public.items");
        assertThat(PgFingerprint.of(pg, "app")).isEqualTo(before);
        assertThat(files()).isEqualTo(filesBefore);

        // into a database that does not exist yet: the plan creates it and every table, and nothing is created
        Cli.Result fresh = cli().run("restore", pg.url("not_yet"), "--source", "127.0.0.1-" + pg.port() + "-app",
                "--tag", "dry", "--dry-run").assertOk();
        assertThat(fresh.out()).contains("  create database not_yet").contains("  create table public.items")
                .doesNotContain("replace table");
        assertThat(pg.psql("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'not_yet'").strip()).isEqualTo("0");
        assertThat(files()).isEqualTo(filesBefore);
    }

    @Test
    void restoreAsksOnATerminalAndNoMeansNothingChanges() throws Exception {
        cli().run("create", pg.url("other"), "--tag", "ask").assertOk();
        pg.psql("other", "DELETE FROM items WHERE id > 10");
        Map<String, String> before = PgFingerprint.of(pg, "other");
        long filesBefore = files();
        java.util.List<String> questions = new java.util.ArrayList<>();

        Cli.Result no = cli().person(false, questions).run("restore", pg.url("other"), "--tag", "ask");
        assertThat(no.exit()).isEqualTo(1);
        assertThat(no.err()).contains("restore cancelled; nothing was changed");
        assertThat(questions).singleElement().asString().contains("About to restore").contains("postgres:****@");
        assertThat(PgFingerprint.of(pg, "other")).isEqualTo(before);
        assertThat(files()).isEqualTo(filesBefore);

        cli().person(true, questions).run("restore", pg.url("other"), "--tag", "ask").assertOk();
        assertThat(pg.psql("other", "SELECT count(*) FROM items").strip()).isEqualTo("20000");
        // --force does not ask
        cli().person(false, questions).run("restore", pg.url("other"), "--tag", "ask", "--force", "--no-backup").assertOk();
        assertThat(questions).hasSize(2);
    }

    @Test
    void verifyThatChecksNothingFailsAndAnUnreadableManifestIsAFailure() throws Exception {
        Cli.Result empty = cli().run("verify", "--all");
        assertThat(empty.exit()).isEqualTo(1);
        assertThat(empty.err()).contains("no snapshots to verify");

        cli().run("create", pg.url("app"), "--name", "good").assertOk();
        Path broken = work.resolve("store/local/x/20260101-000000-broken/manifest.json");
        Files.createDirectories(broken.getParent());
        Files.writeString(broken, "{\"formatVersion\": 1, \"id\": \"20260101-000000-broken\"}");
        Cli.Result verify = cli().run("verify", "--all");
        assertThat(verify.exit()).isEqualTo(1);
        assertThat(verify.out()).contains("ok      ").contains("FAILED  skipping").contains("20260101-000000-broken");
        assertThat(verify.err()).contains("1 of 2 snapshot(s) failed verification");
        // list still shows the good one and warns about the other
        Cli.Result list = cli().run("list").assertOk();
        assertThat(list.out()).contains("good").doesNotContain("broken");
        assertThat(list.err()).contains("warning: skipping");
    }

    @Test
    void everyCommandHasHelpAndNoCommandIsAUsageError() {
        for (String command : new String[]{"create", "list", "restore", "verify", "prune"}) {
            Cli.Result help = cli().run(command, "--help");
            assertThat(help.exit()).as(command).isZero();
            assertThat(help.out()).startsWith("Usage: dbsnap " + command);
        }
        Cli.Result none = cli().run();
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("a command is needed").doesNotContain("unexpected");
    }

    @Test
    void anEmptyStoreListsNothing() {
        Cli.Result r = cli().run("list").assertOk();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("no snapshots");
        assertThat(cli().run("list", "--json").assertOk().out().strip()).isEqualTo("[ ]");
    }

    @Test
    void restoreTakesASnapshotByItsLocationPinnedToItsChecksumOrTheNewestBeforeATime() throws Exception {
        SmallDatabase.create(pg, "forms");
        Cli.Result first = cli().run("create", pg.url("forms"), "--tag", "forms").assertOk();
        String location = first.out().lines().map(String::strip).filter(l -> l.startsWith("file://")).findFirst()
                .orElseThrow();
        String sha = first.out().replaceAll("(?s).*sha256:([0-9a-f]{64}).*", "$1");
        Map<String, String> original = PgFingerprint.of(pg, "forms");
        Thread.sleep(1100);
        java.time.Instant between = java.time.Instant.now();
        Thread.sleep(1100);
        pg.psql("forms", "DELETE FROM items WHERE id > 10");
        Map<String, String> fewer = PgFingerprint.of(pg, "forms");
        cli().run("create", pg.url("forms"), "--tag", "forms").assertOk();

        // a location in another store than --store, or a checksum that is not the snapshot's: refused, nothing changed
        assertThat(cli().run("restore", pg.url("forms"), "--location", location, "--store", work.resolve("elsewhere")
                .toString(), "--force").exit()).isNotZero();
        Cli.Result wrong = new Cli(work).run("restore", pg.url("forms"), "--location", location, "--sha256",
                "0".repeat(64), "--force", "--no-backup");
        assertThat(wrong.exit()).isNotZero();
        assertThat(wrong.err()).contains("ChecksumMismatch").contains("nothing was changed");
        assertThat(PgFingerprint.of(pg, "forms")).isEqualTo(fewer);

        // by location alone (the store is the location's), pinned to its checksum
        new Cli(work).run("restore", pg.url("forms"), "--location", location, "--sha256", "sha256:" + sha, "--force",
                "--no-backup").assertOk();
        assertThat(PgFingerprint.of(pg, "forms")).isEqualTo(original);

        // the newest before a time is the first snapshot, the newest of all the second
        cli().run("restore", pg.url("forms"), "--latest", "--force", "--no-backup").assertOk();
        assertThat(PgFingerprint.of(pg, "forms")).isEqualTo(fewer);
        cli().run("restore", pg.url("forms"), "--tag", "forms", "--before", between.toString(), "--force",
                "--no-backup").assertOk();
        assertThat(PgFingerprint.of(pg, "forms")).isEqualTo(original);
        assertThat(cli().run("restore", pg.url("forms"), "--latest", "--before", "2000-01-01T00:00:00Z", "--force")
                .exit()).as("none that old").isNotZero();
        assertThat(cli().run("restore", pg.url("forms"), "--latest", "--before", "yesterday").err())
                .contains("not a time");
    }
}
