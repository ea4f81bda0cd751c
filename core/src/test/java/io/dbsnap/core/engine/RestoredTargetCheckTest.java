package io.dbsnap.core.engine;

import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.catalog.SnapshotCatalog;
import io.dbsnap.core.catalog.SnapshotEntry;
import io.dbsnap.core.pipeline.SnapshotRequest;
import io.dbsnap.core.pipeline.SnapshotRestorer;
import io.dbsnap.core.pipeline.SnapshotWriter;
import io.dbsnap.core.pipeline.TransferListener;
import io.dbsnap.core.process.Command;
import io.dbsnap.core.process.LocalProcessRunner;
import io.dbsnap.core.process.ProcessRunner;
import io.dbsnap.core.store.FileObjectStore;
import io.dbsnap.core.database.DatabaseTarget;
import io.dbsnap.core.database.TargetParser;
import io.dbsnap.core.testing.MariaDbSampleData;
import io.dbsnap.core.testing.MariaDbServer;
import io.dbsnap.core.testing.PgFingerprint;
import io.dbsnap.core.testing.PgSampleData;
import io.dbsnap.core.testing.SqliteDatabase;
import io.dbsnap.core.testing.WithPostgresAndS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A restore is checked against what the snapshot holds, so a restore tool that exits 0 without
 * restoring (here: replaced by one that reads its input and does nothing) is a failure, and the
 * cases a careful user meets work: an every-database restore into an empty server, a SQLite file
 * behind a symbolic link.
 */
class RestoredTargetCheckTest extends WithPostgresAndS3 {

    @TempDir
    Path storeDir;
    @TempDir
    Path scratch;

    @Test
    void aPgRestoreThatExitsZeroWithoutRestoringFails() throws Exception {
        pg.createDatabase("shop_src");
        PgSampleData.load(pg, "shop_src");
        Manifest manifest = snapshot(TargetParser.parse(pg.url("shop_src")));
        pg.createDatabase("shop_empty");
        ProcessRunner lying = idle(c -> c.argv().get(0).equals("pg_restore") && !c.argv().contains("--list"));
        assertThatThrownBy(() -> restore(lying, TargetParser.parse(pg.url("shop_empty")), manifest, false))
                .isInstanceOf(DbsnapException.class).hasMessageContaining("pg_restore exited 0 but")
                .hasMessageContaining("lacks");
        // the real thing passes the same check
        restore(new LocalProcessRunner(), TargetParser.parse(pg.url("shop_empty")), manifest, false);
        assertThat(PgFingerprint.of(pg, "shop_empty")).isEqualTo(PgFingerprint.of(pg, "shop_src"));
    }

    @Test
    void mariadbRestoresAreCheckedAndAnEmptyServerTakesEveryDatabaseWithoutASafetySnapshot() throws Exception {
        try (MariaDbServer source = MariaDbServer.start(); MariaDbServer empty = MariaDbServer.start()) {
            source.createDatabase("shop");
            MariaDbSampleData.load(source, "shop");
            source.createDatabase("two words");
            source.sql("two words", "CREATE TABLE `odd ``name``` (id INT PRIMARY KEY); INSERT INTO `odd ``name``` VALUES (1);");
            Manifest all = snapshot(TargetParser.parse(source.url("")));

            ProcessRunner lying = idle(c -> c.program().equals("mariadb") && c.argv().get(2).contains("--binary-mode"));
            assertThatThrownBy(() -> restore(lying, TargetParser.parse(empty.url("")), all, false))
                    .hasMessageContaining("mariadb exited 0 but").hasMessageContaining("lacks");

            // the disaster case: a server with nothing of its own, restored with the safety snapshot asked for
            SnapshotRestorer.Result result = restore(new LocalProcessRunner(), TargetParser.parse(empty.url("")), all,
                    true);
            assertThat(result.targetHeldNothing()).isTrue();
            assertThat(result.preRestoreSnapshot()).isEmpty();
            assertThat(MariaDbSampleData.fingerprint(empty, "shop")).isEqualTo(MariaDbSampleData.fingerprint(source, "shop"));
            assertThat(empty.sql("two words", "SELECT id FROM `odd ``name```").strip()).isEqualTo("1");

            // a server that holds something gets its safety snapshot
            SnapshotRestorer.Result again = restore(new LocalProcessRunner(), TargetParser.parse(empty.url("")), all,
                    true);
            assertThat(again.targetHeldNothing()).isFalse();
            assertThat(again.preRestoreSnapshot()).isPresent();
        }
    }

    @Test
    void aSqliteFileBehindASymbolicLinkIsReplacedWhereItLiesAndTheLinkKept() throws Exception {
        Path real = Files.createDirectories(storeDir.getParent().resolve(storeDir.getFileName() + "-data"))
                .resolve("real.db");
        SqliteDatabase.create(real);
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-r-----"));
        Path link = scratch.resolve("app.db");
        Files.createSymbolicLink(link, real);
        String before = SqliteDatabase.dump(real);
        DatabaseTarget target = TargetParser.parse("sqlite://" + link);
        Manifest manifest = snapshot(target);
        SqliteDatabase.sql(real, "DELETE FROM people;");

        restore(new LocalProcessRunner(), target, manifest, false);

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(real);
        assertThat(SqliteDatabase.dump(real)).isEqualTo(before);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(real))).isEqualTo("rw-r-----");
        try (var left = Files.list(real.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("real.db");
        }
    }

    private Manifest snapshot(DatabaseTarget target) {
        return new SnapshotWriter(new LocalProcessRunner(), Clock.systemUTC()).take(Engines.forTarget(target), target,
                new FileObjectStore(storeDir), SnapshotRequest.named("check"), TransferListener.NONE);
    }

    private SnapshotRestorer.Result restore(ProcessRunner runner, DatabaseTarget target, Manifest manifest,
                                            boolean backupFirst) {
        FileObjectStore store = new FileObjectStore(storeDir);
        SnapshotEntry entry = new SnapshotCatalog(store, w -> { }).list().stream()
                .filter(e -> e.id().equals(manifest.id()) && e.manifest().source().equals(manifest.source()))
                .findFirst().orElseThrow();
        return new SnapshotRestorer(runner, new SnapshotWriter(runner, Clock.systemUTC()), scratch)
                .restore(Engines.forTarget(target), target, store, entry,
                        new SnapshotRestorer.Request(backupFirst, new RestoreOptions(false, 1)), TransferListener.NONE);
    }

    /** Runs everything, but a command {@code idle} picks reads its input and exits 0 without doing anything. */
    private static ProcessRunner idle(Predicate<Command> idle) {
        LocalProcessRunner local = new LocalProcessRunner();
        return command -> local.start(idle.test(command)
                ? new Command(List.of("sh", "-c", "cat > /dev/null", command.program()), command.env(), command.secrets())
                : command);
    }
}
