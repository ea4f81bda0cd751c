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
    void aCutDownloadResumesWhereItStoppedAndAForeignPartIsThrownAway() throws Exception {
        ObjectStore laptop = new FileObjectStore(dir.resolve("laptop"));
        Path downloads = dir.resolve("downloads");
        long size = entry.manifest().dataFile().size();
        long cutAt = size / 3;
        java.util.List<Long> offsets = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean cut = new java.util.concurrent.atomic.AtomicBoolean(true);
        ObjectStore flaky = new io.dbsnap.core.testing.ForwardingStore(from) {
            @Override
            public java.io.InputStream open(String key, long offset) {
                offsets.add(offset);
                java.io.InputStream in = store.open(key, offset);
                if (!cut.getAndSet(false)) {
                    return in;
                }
                // the connection drops after a third of the object
                return new java.io.FilterInputStream(in) {
                    long served;

                    @Override
                    public int read(byte[] b, int off, int len) throws java.io.IOException {
                        if (served >= cutAt) {
                            throw new java.io.IOException("connection reset");
                        }
                        int n = super.read(b, off, (int) Math.min(len, cutAt - served));
                        served += Math.max(n, 0);
                        return n;
                    }
                };
            }
        };
        assertThatThrownBy(() -> new SnapshotCopier(flaky, laptop).resumingIn(downloads).copy(entry, TransferListener.NONE))
                .hasMessageContaining("stopped at " + cutAt + " of " + size + " bytes").hasMessageContaining("again to resume");
        assertThat(new SnapshotCatalog(laptop, w -> { }).list()).isEmpty();
        assertThat(downloads.resolve(entry.manifest().dataFile().sha256() + ".part")).hasSize(cutAt);

        assertThat(new SnapshotCopier(flaky, laptop).resumingIn(downloads).copy(entry, TransferListener.NONE)).isTrue();
        // the second pull asked only for the rest
        assertThat(offsets).containsExactly(0L, cutAt);
        assertThat(new SnapshotCatalog(laptop, w -> { }).list()).singleElement()
                .satisfies(e -> assertThat(e.manifest()).isEqualTo(entry.manifest()));
        assertThat(downloads).isEmptyDirectory();

        // a part whose bytes are not the object's is found out at the end, thrown away, and nothing copied
        ObjectStore other = new FileObjectStore(dir.resolve("other"));
        java.nio.file.Files.write(downloads.resolve(entry.manifest().dataFile().sha256() + ".part"),
                new byte[(int) cutAt]);
        assertThatThrownBy(() -> new SnapshotCopier(from, other).resumingIn(downloads).copy(entry, TransferListener.NONE))
                .isInstanceOf(ChecksumMismatchException.class).hasMessageContaining("nothing was copied");
        assertThat(downloads).isEmptyDirectory();
        assertThat(new SnapshotCopier(from, other).resumingIn(downloads).copy(entry, TransferListener.NONE)).isTrue();
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
