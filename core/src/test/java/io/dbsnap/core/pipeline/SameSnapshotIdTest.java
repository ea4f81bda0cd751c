package io.dbsnap.core.pipeline;

import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.core.catalog.SnapshotCatalog;
import io.dbsnap.core.engine.PostgresEngine;
import io.dbsnap.core.process.LocalProcessRunner;
import io.dbsnap.core.store.FileObjectStore;
import io.dbsnap.core.store.ObjectExistsException;
import io.dbsnap.core.store.ObjectStore;
import io.dbsnap.core.store.ObjectWriter;
import io.dbsnap.core.store.PartSizer;
import io.dbsnap.core.store.S3ObjectStore;
import io.dbsnap.core.store.StoredObject;
import io.dbsnap.core.database.TargetParser;
import io.dbsnap.core.testing.ForwardingStore;
import io.dbsnap.core.testing.PgSampleData;
import io.dbsnap.core.testing.WithPostgresAndS3;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two runs that pick the same snapshot id (the same name in the same second, each having seen the
 * folder empty) can never overwrite each other: a store never replaces an object, so the second
 * run fails and the first one's snapshot stays whole. Against S3Proxy (one part and multipart) and
 * the local store.
 */
class SameSnapshotIdTest extends WithPostgresAndS3 {

    private static final String BUCKET = "same-id";
    private static final Clock FROZEN = Clock.fixed(Instant.parse("2026-12-01T23:00:00Z"), ZoneOffset.UTC);
    private static final byte[] THEIRS = "another run's bytes".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @BeforeAll
    static void prepare() throws Exception {
        pg.createDatabase("sample");
        PgSampleData.load(pg, "sample");
        s3.createBucket(BUCKET);
    }

    private ObjectStore store(String kind, String prefix) {
        return switch (kind) {
            case "s3" -> new S3ObjectStore(BUCKET, prefix, s3.settings());
            // parts of 5 MiB: the sample's dump goes up in several, so the conditional complete is what refuses
            case "s3-multipart" -> new S3ObjectStore(BUCKET, prefix, s3.settings()
                    .withPartSizer(new PartSizer(PartSizer.MIN_PART, 1000)));
            default -> new FileObjectStore(dir.resolve(prefix));
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "s3-multipart", "file"})
    void aWriteNeverReplacesAnObject(String kind) throws Exception {
        try (ObjectStore store = store(kind, "objects-" + kind)) {
            ObjectWriter first = store.create("a/data");
            ObjectWriter second = store.create("a/data");
            byte[] big = new byte[kind.equals("s3-multipart") ? 12 << 20 : 1000];
            first.write(THEIRS);
            second.write(big);
            first.commit();
            assertThatThrownBy(second::commit).isInstanceOf(ObjectExistsException.class)
                    .hasMessageContaining("exists already").hasMessageContaining("nothing was replaced");
            second.close();
            store.put("a/manifest.json", THEIRS);
            assertThatThrownBy(() -> store.put("a/manifest.json", "mine".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(ObjectExistsException.class);

            assertThat(store.get("a/data")).isEqualTo(THEIRS);
            assertThat(store.get("a/manifest.json")).isEqualTo(THEIRS);
            assertThat(store.list("a/")).extracting(StoredObject::key)
                    .containsExactlyInAnyOrder("a/data", "a/manifest.json");
            assertThat(s3.multipartUploads(BUCKET)).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "s3-multipart", "file"})
    void aRunWhoseIdAnotherRunTookMeanwhileFailsAndLeavesTheOtherWhole(String kind) {
        String prefix = "race-" + kind;
        try (ObjectStore real = store(kind, prefix);
             ObjectStore racing = new OtherRunCommitsFirst(real)) {
            assertThatThrownBy(() -> take(racing)).isInstanceOf(ObjectExistsException.class)
                    .hasMessageContaining("another run chose the same snapshot id");

            String dataKey = racing.toString();
            assertThat(real.get(dataKey)).as("the other run's data").isEqualTo(THEIRS);
            assertThat(real.list("")).extracting(StoredObject::key).containsExactly(dataKey);
            assertThat(new SnapshotCatalog(real, w -> { }).list()).isEmpty();
            assertThat(s3.multipartUploads(BUCKET)).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "file"})
    void aManifestWriteThatLandedThoughItsAnswerWasLostIsOurs(String kind) {
        try (ObjectStore real = store(kind, "lost-answer-" + kind);
             ObjectStore retrying = new ManifestWrittenTwice(real)) {
            Manifest manifest = take(retrying);

            assertThat(new SnapshotCatalog(real, w -> { }).list()).singleElement()
                    .satisfies(entry -> assertThat(entry.manifest()).isEqualTo(manifest));
        }
    }

    /** Another run's manifest is in place when this run's is written: it stays; this run's data goes. */
    @ParameterizedTest
    @ValueSource(strings = {"s3:exists", "s3:timeout", "file:exists", "file:timeout"})
    void aManifestAnotherRunWroteIsNeverDeletedAndThisRunsDataGoes(String kindAndFailure) {
        String kind = kindAndFailure.split(":")[0];
        boolean timeout = kindAndFailure.endsWith("timeout");
        try (ObjectStore real = store(kind, "other-manifest-" + kindAndFailure.replace(':', '-'));
             ObjectStore racing = new ForwardingStore(real) {
                 @Override
                 public void put(String key, byte[] content) {
                     store.put(key, THEIRS);
                     if (timeout) {
                         // the store answers nothing useful, though the key is taken by then
                         throw new io.dbsnap.core.store.StoreException("cannot write " + key + ": Read timed out");
                     }
                     store.put(key, content);
                 }
             }) {
            assertThatThrownBy(() -> take(racing)).isInstanceOf(io.dbsnap.core.store.StoreException.class);

            List<String> keys = real.list("").stream().map(StoredObject::key).toList();
            assertThat(keys).as("only the other run's manifest is left").singleElement()
                    .satisfies(k -> assertThat(k).endsWith(Manifest.FILE_NAME));
            assertThat(real.get(keys.get(0))).isEqualTo(THEIRS);
            assertThat(s3.multipartUploads(BUCKET)).isEmpty();
        }
    }

    private static Manifest take(ObjectStore store) {
        return new SnapshotWriter(new LocalProcessRunner(), FROZEN).take(new PostgresEngine(),
                TargetParser.parse(pg.url("sample")), store, SnapshotRequest.named("nightly"), TransferListener.NONE);
    }

    /** Commits another run's object under the data key just before this run starts writing it. */
    private static final class OtherRunCommitsFirst extends ForwardingStore {
        private String dataKey;

        OtherRunCommitsFirst(ObjectStore store) {
            super(store);
        }

        @Override
        public ObjectWriter create(String key) {
            dataKey = key;
            try (ObjectWriter other = store.create(key)) {
                other.write(THEIRS);
                other.commit();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return store.create(key);
        }

        @Override
        public String toString() {
            return dataKey;
        }
    }

    /** The manifest is written, its answer lost, and the retry finds it there (as an SDK retry does). */
    private static final class ManifestWrittenTwice extends ForwardingStore {
        private final AtomicBoolean retried = new AtomicBoolean();

        ManifestWrittenTwice(ObjectStore store) {
            super(store);
        }

        @Override
        public void put(String key, byte[] content) {
            store.put(key, content);
            if (key.endsWith(Manifest.FILE_NAME) && retried.compareAndSet(false, true)) {
                store.put(key, content);
            }
        }
    }
}
