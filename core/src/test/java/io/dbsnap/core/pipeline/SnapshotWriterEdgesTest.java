package io.dbsnap.core.pipeline;

import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.catalog.SnapshotCatalog;
import io.dbsnap.core.catalog.SnapshotEntry;
import io.dbsnap.core.engine.PostgresEngine;
import io.dbsnap.core.process.Command;
import io.dbsnap.core.process.LocalProcessRunner;
import io.dbsnap.core.process.ProcessRunner;
import io.dbsnap.core.store.FileObjectStore;
import io.dbsnap.core.store.ObjectStore;
import io.dbsnap.core.store.StoreException;
import io.dbsnap.core.store.StoredObject;
import io.dbsnap.core.database.TargetParser;
import io.dbsnap.core.testing.ForwardingStore;
import io.dbsnap.core.testing.WithPostgresAndS3;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The snapshot writer's promises at their edges: a second snapshot of a name in the same second
 * gets a suffix (both are whole), a manifest that cannot be written takes its data with it, and a
 * dump that exits 0 having written nothing is refused. Real pg_dump, the local store.
 */
class SnapshotWriterEdgesTest extends WithPostgresAndS3 {

    private static final Clock FROZEN = Clock.fixed(Instant.parse("2026-12-01T23:30:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @BeforeAll
    static void prepare() throws Exception {
        pg.createDatabase("edges");
        pg.psql("edges", "CREATE TABLE t AS SELECT generate_series(1, 1000) AS n");
    }

    private Manifest take(ProcessRunner runner, ObjectStore store) {
        return new SnapshotWriter(runner, FROZEN).take(new PostgresEngine(), TargetParser.parse(pg.url("edges")),
                store, SnapshotRequest.named("nightly"), TransferListener.NONE);
    }

    @Test
    void aSecondSnapshotOfTheNameInTheSameSecondGetsASuffixAndBothAreWhole() throws Exception {
        ObjectStore store = new FileObjectStore(dir);
        Manifest first = take(new LocalProcessRunner(), store);
        Manifest second = take(new LocalProcessRunner(), store);
        Manifest third = take(new LocalProcessRunner(), store);

        assertThat(first.id()).isEqualTo("20261201-233000-nightly");
        assertThat(second.id()).isEqualTo("20261201-233000-nightly-2");
        assertThat(third.id()).isEqualTo("20261201-233000-nightly-3");
        List<SnapshotEntry> listed = new SnapshotCatalog(store, w -> { }).list();
        assertThat(listed).extracting(SnapshotEntry::id).containsExactlyInAnyOrder(first.id(), second.id(), third.id());
        for (SnapshotEntry entry : listed) {
            Path verified = new SnapshotReader(store).fetchVerified(entry, dir, TransferListener.NONE);
            assertThat(Files.size(verified)).isEqualTo(entry.manifest().rawSize());
            Files.delete(verified);
        }
    }

    @Test
    void aManifestThatCannotBeWrittenTakesItsDataWithIt() throws Exception {
        ObjectStore store = new FileObjectStore(dir);
        ObjectStore full = new ForwardingStore(store) {
            @Override
            public void put(String key, byte[] content) {
                throw new StoreException("cannot write " + key + ": No space left on device");
            }
        };
        assertThatThrownBy(() -> take(new LocalProcessRunner(), full)).isInstanceOf(StoreException.class)
                .hasMessageContaining("No space left on device");

        assertThat(store.list("")).as("objects left in the store").isEmpty();
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)).as("files left, partial ones included").isEmpty();
        }
    }

    @Test
    void aDumpThatExitsZeroHavingWrittenNothingIsRefused() throws Exception {
        ObjectStore store = new FileObjectStore(dir);
        LocalProcessRunner local = new LocalProcessRunner();
        // the server's version is asked for as usual; the dump itself is a program that writes nothing
        ProcessRunner silent = command -> local.start(command.argv().get(0).equals("pg_dump")
                ? new Command(List.of("true"), command.env(), command.secrets()) : command);

        assertThatThrownBy(() -> take(silent, store)).isInstanceOf(DbsnapException.class)
                .hasMessageContaining("exited 0 but wrote nothing; refusing an empty snapshot");

        assertThat(store.list("")).extracting(StoredObject::key).isEmpty();
        assertThat(new SnapshotCatalog(store, w -> { }).list()).isEmpty();
    }
}
