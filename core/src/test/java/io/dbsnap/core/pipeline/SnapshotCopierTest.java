package io.dbsnap.core.pipeline;

import io.dbsnap.core.catalog.SnapshotCatalog;
import io.dbsnap.core.catalog.SnapshotEntry;
import io.dbsnap.core.engine.PostgresEngine;
import io.dbsnap.core.process.LocalProcessRunner;
import io.dbsnap.core.store.FileObjectStore;
import io.dbsnap.core.store.ObjectStore;
import io.dbsnap.core.store.ObjectWriter;
import io.dbsnap.core.database.TargetParser;
import io.dbsnap.core.testing.WithPostgresAndS3;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Copying a snapshot between stores (dbsnap pull): what the target already holds decides, never overwritten. */
class SnapshotCopierTest extends WithPostgresAndS3 {

    @TempDir
    Path dir;
    private ObjectStore from;
    private SnapshotEntry entry;

    @BeforeAll
    static void database() throws Exception {
        pg.createDatabase("copied");
        pg.psql("copied", "CREATE TABLE t AS SELECT generate_series(1, 5000) AS n");
    }

    @BeforeEach
    void snapshot() {
        from = new FileObjectStore(dir.resolve("cluster"));
        new SnapshotWriter(new LocalProcessRunner(), Clock.systemUTC()).take(new PostgresEngine(),
                TargetParser.parse(pg.url("copied")), from, SnapshotRequest.named("nightly"), TransferListener.NONE);
        entry = new SnapshotCatalog(from, w -> { }).list().get(0);
    }

    private static void write(ObjectStore store, String key, byte[] bytes) throws Exception {
        try (ObjectWriter writer = store.create(key)) {
            writer.write(bytes);
            writer.commit();
        }
    }

    @Test
    void aCopyStoppedBeforeItsManifestIsFinishedByTheNextOne() throws Exception {
        ObjectStore laptop = new FileObjectStore(dir.resolve("laptop"));
        // what an interrupted pull left: the whole data object, no manifest
        write(laptop, entry.dataKey(), from.open(entry.dataKey()).readAllBytes());

        assertThat(new SnapshotCopier(from, laptop).copy(entry, TransferListener.NONE)).isTrue();

        assertThat(new SnapshotCatalog(laptop, w -> { }).list()).singleElement()
                .satisfies(e -> assertThat(e.manifest()).isEqualTo(entry.manifest()));
        new SnapshotReader(laptop).fetchVerified(entry, dir, TransferListener.NONE);
        assertThat(new SnapshotCopier(from, laptop).copy(entry, TransferListener.NONE)).as("already pulled").isFalse();
    }

    @Test
    void otherDataUnderTheSameKeyIsRefusedAndKept() throws Exception {
        ObjectStore laptop = new FileObjectStore(dir.resolve("laptop"));
        byte[] other = "an unfinished copy of something else".getBytes(StandardCharsets.UTF_8);
        write(laptop, entry.dataKey(), other);

        assertThatThrownBy(() -> new SnapshotCopier(from, laptop).copy(entry, TransferListener.NONE))
                .isInstanceOf(ChecksumMismatchException.class)
                .hasMessageContaining("unfinished copy of other data").hasMessageContaining("nothing was copied");

        assertThat(laptop.get(entry.dataKey())).isEqualTo(other);
        assertThat(laptop.list(entry.manifestKey())).isEmpty();
    }

    @Test
    void aDifferentSnapshotOfTheSameIdIsRefusedAndKept() throws Exception {
        ObjectStore laptop = new FileObjectStore(dir.resolve("laptop"));
        byte[] theirs = new String(from.get(entry.manifestKey()), StandardCharsets.UTF_8)
                .replace(entry.manifest().dataFile().sha256(), "0".repeat(64)).getBytes(StandardCharsets.UTF_8);
        laptop.put(entry.manifestKey(), theirs);

        assertThatThrownBy(() -> new SnapshotCopier(from, laptop).copy(entry, TransferListener.NONE))
                .isInstanceOf(ChecksumMismatchException.class)
                .hasMessageContaining("already holds a different snapshot of the same id");

        assertThat(laptop.get(entry.manifestKey())).isEqualTo(theirs);
        assertThat(laptop.list(entry.dataKey())).isEmpty();
    }
}
