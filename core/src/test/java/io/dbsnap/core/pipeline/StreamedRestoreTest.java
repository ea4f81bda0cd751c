package io.dbsnap.core.pipeline;

import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.api.manifest.ManifestFile;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.catalog.SnapshotCatalog;
import io.dbsnap.core.catalog.SnapshotEntry;
import io.dbsnap.core.database.DatabaseTarget;
import io.dbsnap.core.database.TargetParser;
import io.dbsnap.core.engine.PostgresEngine;
import io.dbsnap.core.engine.RestoreOptions;
import io.dbsnap.core.process.LocalProcessRunner;
import io.dbsnap.core.store.FileObjectStore;
import io.dbsnap.core.store.ObjectStore;
import io.dbsnap.core.testing.ForwardingStore;
import io.dbsnap.core.testing.PgFingerprint;
import io.dbsnap.core.testing.PgSampleData;
import io.dbsnap.core.testing.WithPostgresAndS3;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PostgreSQL restores are fed as the snapshot downloads; the end of the archive is held back until
 * every stored byte matched. Each way the stored object can be wrong, found only at or near its end,
 * must leave the target exactly as it was (an existing one unchanged, a new one gone again), though
 * pg_restore had by then read nearly all of the dump.
 */
class StreamedRestoreTest extends WithPostgresAndS3 {

    static final LocalProcessRunner RUNNER = new LocalProcessRunner();
    static final PostgresEngine ENGINE = new PostgresEngine();
    static final RestoreOptions ONE_TRANSACTION = new RestoreOptions(false, 1);

    @TempDir
    static Path dir;
    static ObjectStore store;
    static SnapshotEntry entry;
    static byte[] raw;
    /** The stored object of another, much smaller snapshot: whole and valid, just not this one. */
    static byte[] foreign;
    /** That other archive, padded with zeros to this snapshot's raw size and compressed: it ends long before its bytes do. */
    static byte[] foreignPadded;

    @BeforeAll
    static void snapshot() throws Exception {
        pg.createDatabase("origin");
        PgSampleData.load(pg, "origin");
        store = new FileObjectStore(dir.resolve("store"));
        new SnapshotWriter(RUNNER, Clock.systemUTC()).take(ENGINE, target("origin"), store,
                SnapshotRequest.named("origin"), TransferListener.NONE);
        entry = new SnapshotCatalog(store, w -> { }).list().get(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SnapshotReader(store).read(entry, out, TransferListener.NONE);
        raw = out.toByteArray();
        // the guarantee is only tested if most of the dump reaches pg_restore before the end is known
        assertThat(raw.length).isGreaterThan(10 * StreamedDump.HELD_BACK);

        pg.createDatabase("other");
        pg.psql("other", "CREATE SCHEMA shop; CREATE TABLE shop.customers (id int PRIMARY KEY, name text); "
                + "INSERT INTO shop.customers SELECT i, 'someone else ' || i FROM generate_series(1, 200000) i");
        ObjectStore elsewhere = new FileObjectStore(dir.resolve("elsewhere"));
        new SnapshotWriter(RUNNER, Clock.systemUTC()).take(ENGINE, target("other"), elsewhere,
                SnapshotRequest.named("other"), TransferListener.NONE);
        SnapshotEntry other = new SnapshotCatalog(elsewhere, w -> { }).list().get(0);
        try (InputStream in = elsewhere.open(other.dataKey())) {
            foreign = in.readAllBytes();
        }
        ByteArrayOutputStream otherRaw = new ByteArrayOutputStream();
        new SnapshotReader(elsewhere).read(other, otherRaw, TransferListener.NONE);
        foreignPadded = com.github.luben.zstd.Zstd.compress(java.util.Arrays.copyOf(otherRaw.toByteArray(), raw.length));
        // bigger than what is held back, far smaller than the snapshot it stands in for
        assertThat(other.manifest().rawSize()).isGreaterThan(2L * StreamedDump.HELD_BACK)
                .isLessThan(raw.length - 2L * StreamedDump.HELD_BACK);
    }

    static DatabaseTarget target(String db) {
        return TargetParser.parse(pg.url(db));
    }

    @Test
    void feedsEveryByteInOrderOnlyWhenTheObjectMatched() throws Exception {
        ByteArrayOutputStream fed = new ByteArrayOutputStream();
        try (StreamedDump dump = new SnapshotReader(store).stream(entry, TransferListener.NONE)) {
            // a head read first is still fed, in place
            byte[] head = dump.readHead(in -> in.readNBytes(12345));
            assertThat(head).isEqualTo(java.util.Arrays.copyOf(raw, 12345));
            assertThat(dump.stdin().length()).isEqualTo(raw.length);
            dump.stdin().writeTo(fed);
            assertThat(dump.sourceFailure()).isEmpty();
        }
        assertThat(fed.toByteArray()).isEqualTo(raw);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"append", "flip-late", "cut-late", "read-error-late", "rawsize+1", "rawsize-1",
            "sha256", "foreign", "foreign-padded"})
    void aDamageFoundLateWithholdsTheEnd(String damage) throws Exception {
        ByteArrayOutputStream fed = new ByteArrayOutputStream();
        AtomicLong arrived = new AtomicLong();
        try (StreamedDump dump = new SnapshotReader(damaged(damage)).stream(entry(damage), progress(arrived))) {
            assertThatThrownBy(() -> dump.stdin().writeTo(fed)).isInstanceOf(DbsnapException.class);
            assertThat(dump.sourceFailure()).isPresent();
        }
        // what was fed never holds the last HELD_BACK bytes of what arrived, nor of what the manifest promises
        assertThat((long) fed.size()).isLessThanOrEqualTo(Math.max(0, arrived.get() - StreamedDump.HELD_BACK))
                .isLessThanOrEqualTo(entry(damage).manifest().rawSize() - StreamedDump.HELD_BACK);
        if (!damage.equals("flip-late") && !damage.startsWith("foreign")) {
            // and is the dump's own beginning (a flipped compressed byte may decode to garbage before it is caught)
            assertThat(fed.toByteArray()).isEqualTo(java.util.Arrays.copyOf(raw, fed.size()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"append", "append-slowly", "flip-late", "cut-late", "read-error-late", "rawsize+1",
            "rawsize-1", "sha256", "foreign", "foreign-slowly", "foreign-padded"})
    void aDamageFoundLateLeavesAnExistingTargetAsItWas(String damage) throws Exception {
        String db = "existing_" + damage.replace("+", "_plus").replace("-", "_");
        pg.createDatabase(db);
        pg.psql(db, "CREATE TABLE kept (id int PRIMARY KEY, note text); INSERT INTO kept "
                + "SELECT i, 'row ' || i FROM generate_series(1, 500) i; CREATE SCHEMA shop; "
                + "CREATE TABLE shop.customers (id bigint PRIMARY KEY, name text); "
                + "INSERT INTO shop.customers VALUES (1, 'the target''s own, which --clean would drop');"
                + "CREATE SEQUENCE counter START 41; SELECT nextval('counter'), nextval('counter');");
        Map<String, String> before = PgFingerprint.of(pg, db);
        AtomicLong read = new AtomicLong();

        assertThatThrownBy(() -> restorer().restore(ENGINE, target(db), damaged(damage), entry(damage),
                new SnapshotRestorer.Request(false, ONE_TRANSACTION), progress(read)))
                .isInstanceOf(DbsnapException.class)
                .isNotInstanceOf(RestoreFailedException.class)
                .hasMessageContaining("stopped before it could commit");

        assertThat(read.get()).as("pg_restore was fed most of the dump")
                .isGreaterThan(damage.startsWith("foreign") ? StreamedDump.HELD_BACK : raw.length / 2);
        assertThat(PgFingerprint.of(pg, db)).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"append", "flip-late", "rawsize+1", "foreign"})
    void aDamageFoundLateDropsTheDatabaseItCreated(String damage) throws Exception {
        String db = "created_" + damage.replace("+", "_plus").replace("-", "_");
        assertThatThrownBy(() -> restorer().restore(ENGINE, target(db), damaged(damage), entry(damage),
                new SnapshotRestorer.Request(true, ONE_TRANSACTION), TransferListener.NONE))
                .hasMessageContaining("stopped before it could commit")
                .hasMessageContaining("dropped again");
        assertThat(pg.psql("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + db + "'").strip())
                .isEqualTo("0");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"append", "flip-late", "cut-late", "rawsize-1", "sha256"})
    void aDryRunVerifiesEveryByteWithoutAScratchFile(String damage) throws Exception {
        assertThat(restorer().plan(ENGINE, target("origin"), store, entry, TransferListener.NONE))
                .contains("restore into database origin", "replace table shop.customers");
        assertThatThrownBy(() -> restorer().plan(ENGINE, target("origin"), damaged(damage), entry(damage),
                TransferListener.NONE)).isInstanceOf(DbsnapException.class);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("store", "elsewhere");
        }
    }

    @Test
    void aPreRestoreSnapshotIsOnlyTakenOfARestoreThatCanHappen() throws Exception {
        pg.createDatabase("guarded");
        pg.psql("guarded", "CREATE TABLE kept (id int); INSERT INTO kept VALUES (1), (2)");
        Map<String, String> before = PgFingerprint.of(pg, "guarded");
        ObjectStore damaged = damaged("append");
        int snapshots = new SnapshotCatalog(store, w -> { }).list().size();

        assertThatThrownBy(() -> restorer().restore(ENGINE, target("guarded"), damaged, entry,
                new SnapshotRestorer.Request(true, ONE_TRANSACTION), TransferListener.NONE))
                .isInstanceOf(ChecksumMismatchException.class);

        assertThat(new SnapshotCatalog(store, w -> { }).list()).hasSize(snapshots);
        assertThat(PgFingerprint.of(pg, "guarded")).isEqualTo(before);
    }

    @Test
    void anIntactSnapshotStreamsIntoAnExistingAndANewDatabase() throws Exception {
        Map<String, String> origin = PgFingerprint.of(pg, "origin");
        pg.createDatabase("replaced");
        pg.psql("replaced", "CREATE SCHEMA shop; CREATE TABLE shop.customers (id int); INSERT INTO shop.customers VALUES (7)");

        SnapshotRestorer.Result replaced = restorer().restore(ENGINE, target("replaced"), store, entry,
                new SnapshotRestorer.Request(false, ONE_TRANSACTION), TransferListener.NONE);
        SnapshotRestorer.Result created = restorer().restore(ENGINE, target("fresh"), store, entry,
                new SnapshotRestorer.Request(false, ONE_TRANSACTION), TransferListener.NONE);

        assertThat(replaced.createdTarget()).isFalse();
        assertThat(created.createdTarget()).isTrue();
        assertThat(PgFingerprint.of(pg, "replaced")).isEqualTo(origin);
        assertThat(PgFingerprint.of(pg, "fresh")).isEqualTo(origin);
        // no scratch file: the dump went straight from the store to pg_restore
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("store", "elsewhere");
        }
    }

    private static SnapshotRestorer restorer() {
        return new SnapshotRestorer(RUNNER, new SnapshotWriter(RUNNER, Clock.systemUTC()), dir);
    }

    private static TransferListener progress(AtomicLong read) {
        return new TransferListener() {
            @Override
            public void progressed(long total) {
                read.set(total);
            }
        };
    }

    /**
     * Serves the bytes after {@code at} only after a pause, as a slow last part would: pg_restore has then
     * read every decompressed byte it was given and would commit, were the end not held back.
     */
    private static InputStream slowAfter(InputStream body, long at) {
        return new FilterInputStream(body) {
            long read;
            boolean paused;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read >= at && !paused) {
                    paused = true;
                    try {
                        Thread.sleep(4000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted");
                    }
                }
                int n = super.read(b, off, (int) Math.max(1, Math.min(len, at - read)));
                read += Math.max(n, 0);
                return n;
            }
        };
    }

    /** The entry as the damage presents it: a manifest that disagrees with the intact object. */
    private static SnapshotEntry entry(String damage) {
        ManifestFile file = entry.manifest().dataFile();
        ManifestFile wrong = switch (damage) {
            case "rawsize+1" -> new ManifestFile(file.name(), file.size(), file.rawSize() + 1, file.sha256());
            case "rawsize-1" -> new ManifestFile(file.name(), file.size(), file.rawSize() - 1, file.sha256());
            case "sha256" -> new ManifestFile(file.name(), file.size(), file.rawSize(),
                    (file.sha256().charAt(0) == '0' ? "1" : "0") + file.sha256().substring(1));
            default -> file;
        };
        Manifest m = entry.manifest();
        return new SnapshotEntry(new Manifest(m.formatVersion(), m.id(), m.engine(), m.engineVersion(), m.source(),
                m.createdAt(), m.completedAt(), m.tag(), m.note(), m.toolVersion(), m.compression(), m.encryption(),
                List.of(wrong)), entry.prefix());
    }

    /** The store, with its data object read back damaged near its end (the manifest damages leave it intact). */
    private static ObjectStore damaged(String damage) {
        return new ForwardingStore(store) {
            @Override
            public InputStream open(String key) {
                InputStream in = store.open(key);
                if (!key.equals(entry.dataKey())) {
                    return in;
                }
                byte[] bytes;
                try (in) {
                    bytes = in.readAllBytes();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                int late = bytes.length - bytes.length / 20;
                byte[] served = switch (damage) {
                    case "append", "append-slowly" -> java.util.Arrays.copyOf(bytes, bytes.length + 1);
                    case "flip-late" -> {
                        byte[] copy = bytes.clone();
                        copy[late] ^= 0x10;
                        yield copy;
                    }
                    case "cut-late" -> java.util.Arrays.copyOf(bytes, late);
                    // an intact archive of another database, which pg_restore would take whole and commit
                    case "foreign" -> foreign;
                    case "foreign-padded" -> foreignPadded;
                    case "foreign-slowly" -> java.util.Arrays.copyOf(foreign, foreign.length + 1);
                    default -> bytes;
                };
                InputStream body = new java.io.ByteArrayInputStream(served);
                if (damage.equals("append-slowly")) {
                    return slowAfter(body, bytes.length);
                }
                if (damage.equals("foreign-slowly")) {
                    // the other archive whole, then a pause before the object's end is known
                    return slowAfter(body, foreign.length);
                }
                if (!damage.equals("read-error-late")) {
                    return body;
                }
                return new FilterInputStream(body) {
                    long at;

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (at >= late) {
                            throw new IOException("connection reset by peer");
                        }
                        int n = super.read(b, off, (int) Math.min(len, late - at));
                        at += Math.max(n, 0);
                        return n;
                    }
                };
            }
        };
    }
}
