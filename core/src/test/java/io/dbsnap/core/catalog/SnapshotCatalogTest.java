package io.dbsnap.core.catalog;

import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.api.manifest.ManifestCodec;
import io.dbsnap.api.manifest.ManifestFile;
import io.dbsnap.api.manifest.ManifestSource;
import io.dbsnap.api.storage.SnapshotLayout;
import io.dbsnap.core.store.FileObjectStore;
import io.dbsnap.core.store.ObjectStore;
import io.dbsnap.core.store.ObjectWriter;
import io.dbsnap.core.store.S3ObjectStore;
import io.dbsnap.core.store.StoredObject;
import io.dbsnap.core.testing.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What prune may delete, against a store an unlucky user or another tool has touched: a manifest copied
 * into another folder, a folder holding more than a snapshot's files, another tool's backups and uploads
 * in folders shaped like dbsnap's.
 */
class SnapshotCatalogTest {

    static final ManifestSource ORDERS = new ManifestSource("prod", "orders-db-0", "orders-db-0", null, null, null,
            "orders");
    static S3Server s3;

    @TempDir
    Path dir;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3Server.start();
        s3.createBucket("catalog");
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    /** A snapshot of {@code source} at {@code time}, its data file and manifest in their folder; its manifest. */
    static Manifest snapshot(ObjectStore store, ManifestSource source, String time, String name) {
        Instant at = Instant.parse(time);
        String id = SnapshotLayout.snapshotId(at, name);
        Manifest manifest = new Manifest(1, id, "postgresql", "15", source, at, at, null, null, "0.1.0", "zstd", "none",
                List.of(new ManifestFile("orders.pgdump.zst", 3, 3, "0".repeat(64))));
        String prefix = SnapshotLayout.snapshotPrefix(manifest);
        store.put(prefix + "orders.pgdump.zst", "abc".getBytes(StandardCharsets.UTF_8));
        store.put(SnapshotLayout.manifestKey(prefix), ManifestCodec.toJson(manifest));
        return manifest;
    }

    static List<String> keys(ObjectStore store) {
        return store.list("").stream().map(StoredObject::key).sorted().toList();
    }

    @Test
    void aManifestCopiedIntoAnotherFolderIsNotThatFoldersSnapshotAndPruneKeepsTheFolder() {
        FileObjectStore store = new FileObjectStore(dir);
        Manifest oldest = snapshot(store, ORDERS, "2026-11-01T02:00:00Z", "a");
        snapshot(store, ORDERS, "2026-11-02T02:00:00Z", "b");
        Manifest newest = snapshot(store, ORDERS, "2026-11-03T02:00:00Z", "c");
        byte[] copy = ManifestCodec.toJson(oldest);
        // into the source's folder, the namespace's, the store's root, and over another snapshot's own manifest
        store.put("prod/orders-db-0/manifest.json", copy);
        store.put("prod/manifest.json", copy);
        store.put("x/manifest.json", copy);
        store.delete(SnapshotLayout.manifestKey(SnapshotLayout.snapshotPrefix(newest)));
        store.put(SnapshotLayout.manifestKey(SnapshotLayout.snapshotPrefix(newest)), copy);
        List<String> warnings = new ArrayList<>();
        SnapshotCatalog catalog = new SnapshotCatalog(store, warnings::add);

        List<SnapshotEntry> listed = catalog.list();
        assertThat(listed).extracting(SnapshotEntry::prefix).containsExactly(
                "prod/orders-db-0/20261101-020000-a/", "prod/orders-db-0/20261102-020000-b/");
        assertThat(warnings).hasSize(4).allSatisfy(w -> assertThat(w).contains("describes snapshot 20261101-020000-a"));

        for (SnapshotEntry entry : Retention.expired(listed, RetentionRules.keepLast(1), ZoneOffset.UTC,
                Instant.parse("2026-12-01T00:00:00Z"))) {
            catalog.delete(entry);
        }
        assertThat(keys(store)).containsExactly("prod/manifest.json", "prod/orders-db-0/20261102-020000-b/manifest.json",
                "prod/orders-db-0/20261102-020000-b/orders.pgdump.zst",
                "prod/orders-db-0/20261103-020000-c/manifest.json", "prod/orders-db-0/20261103-020000-c/orders.pgdump.zst",
                "prod/orders-db-0/manifest.json", "x/manifest.json");
    }

    @Test
    void aStoreOpenedAboveTheLayoutsRootStillListsAndDeletesItsSnapshots() {
        snapshot(new FileObjectStore(dir.resolve("team-a")), ORDERS, "2026-11-01T02:00:00Z", "a");
        FileObjectStore parent = new FileObjectStore(dir);
        SnapshotCatalog catalog = new SnapshotCatalog(parent, w -> { });

        assertThat(catalog.list()).singleElement().satisfies(e ->
                assertThat(e.prefix()).isEqualTo("team-a/prod/orders-db-0/20261101-020000-a/"));
        assertThat(SnapshotCatalog.delete(parent, "team-a/prod/orders-db-0/20261101-020000-a/")).isZero();
        assertThat(keys(parent)).isEmpty();
    }

    @Test
    void deletingASnapshotDeletesItsFolderFilesAndNothingBelowThem() {
        FileObjectStore store = new FileObjectStore(dir);
        Manifest manifest = snapshot(store, ORDERS, "2026-11-01T02:00:00Z", "a");
        String prefix = SnapshotLayout.snapshotPrefix(manifest);
        store.put(prefix + "nested/other.zst", new byte[1]);
        store.put("prod/orders-db-0/20261101-020000-a-2/orders.pgdump.zst", new byte[1]);

        assertThat(SnapshotCatalog.delete(store, prefix)).isZero();
        assertThat(keys(store)).containsExactlyInAnyOrder(prefix + "nested/other.zst",
                "prod/orders-db-0/20261101-020000-a-2/orders.pgdump.zst");
    }

    @Test
    void aFileStoreDeleteWhoseFolderIsAlreadyGoneIsNoFailure() {
        FileObjectStore store = new FileObjectStore(dir);
        store.delete("prod/orders-db-0/20261101-020000-a/manifest.json");
        store.put("prod/orders-db-0/20261101-020000-a/orders.pgdump.zst", new byte[1]);
        store.delete("prod/orders-db-0/20261101-020000-a/orders.pgdump.zst");
        store.delete("prod/orders-db-0/20261101-020000-a/orders.pgdump.zst");
        assertThat(keys(store)).isEmpty();
    }

    @Test
    void onAFileStoreOnlyFoldersOfDbsnapsNamedFilesAreReclaimed() {
        FileObjectStore store = new FileObjectStore(dir);
        String[] kept = {"mysql/prod/20261101-020000-full/backup.tar", "pg/prod/20261101-020000-x/dump.pgdump",
                "pg/prod/20261102-020000-x/orders.pgdump.zst", "pg/prod/20261102-020000-x/notes.txt",
                "pg/prod/20261103-020000-x/orders.zst.bak"};
        String[] reclaimed = {"a/b/20261101-020000-x/orders.pgdump.zst", "a/b/20261102-020000-x/app.db.zst.age",
                "a/b/20261103-020000-x/dump.sql.gz"};
        for (String key : kept) {
            store.put(key, new byte[1]);
        }
        for (String key : reclaimed) {
            store.put(key, new byte[1]);
        }
        SnapshotCatalog catalog = new SnapshotCatalog(store, w -> { });

        List<SnapshotCatalog.AbandonedFolder> abandoned = catalog.abandoned(Instant.now().plusSeconds(60));
        assertThat(abandoned).extracting(SnapshotCatalog.AbandonedFolder::prefix).containsExactlyInAnyOrder(
                "a/b/20261101-020000-x/", "a/b/20261102-020000-x/", "a/b/20261103-020000-x/");
        abandoned.forEach(catalog::delete);
        assertThat(keys(store)).containsExactlyInAnyOrder(kept);
    }

    @Test
    void onS3OnlyObjectsDbsnapWroteAreReclaimedAndOnlyItsUploadsDiscarded() throws Exception {
        try (S3ObjectStore store = new S3ObjectStore("catalog", "shared", s3.settings())) {
            // dbsnap's own: a data file whose run died before its manifest, in a folder of its layout
            try (ObjectWriter writer = store.create("prod/orders-db-0/20261101-020000-a/orders.pgdump.zst")) {
                writer.write(new byte[]{1, 2, 3}, 0, 3);
                writer.commit();
            }
            // another tool's, in folders of the same shape, one even named like dbsnap's data
            for (String key : List.of("mysql/prod/20261101-020000-full/backup.tar",
                    "pg/prod/20261101-020000-x/orders.pgdump.zst")) {
                s3.client().putObject(b -> b.bucket("catalog").key("shared/" + key),
                        software.amazon.awssdk.core.sync.RequestBody.fromBytes(new byte[]{9}));
            }
            String foreignUpload = s3.client().createMultipartUpload(b -> b.bucket("catalog")
                    .key("shared/mysql/prod/20261101-020000-full/backup.tar.part")).uploadId();
            String ownUpload = s3.client().createMultipartUpload(b -> b.bucket("catalog")
                    .key("shared/prod/orders-db-0/20261102-020000-b/orders.pgdump.zst")).uploadId();
            String strayUpload = s3.client().createMultipartUpload(b -> b.bucket("catalog")
                    .key("shared/backups/orders.pgdump.zst")).uploadId();
            SnapshotCatalog catalog = new SnapshotCatalog(store, w -> { });
            Instant later = Instant.now().plusSeconds(60);

            List<SnapshotCatalog.AbandonedFolder> abandoned = catalog.abandoned(later);
            assertThat(abandoned).extracting(SnapshotCatalog.AbandonedFolder::prefix)
                    .containsExactly("prod/orders-db-0/20261101-020000-a/");
            abandoned.forEach(catalog::delete);
            assertThat(keys(store)).containsExactlyInAnyOrder("mysql/prod/20261101-020000-full/backup.tar",
                    "pg/prod/20261101-020000-x/orders.pgdump.zst");
            assertThat(catalog.incompleteWrites(later)).singleElement().satisfies(w ->
                    assertThat(w.handle()).isEqualTo(ownUpload));
            assertThat(store.incompleteWrites(later)).hasSize(3);
            assertThat(store.markedAsOurs("prod/none/20261101-020000-x/gone.zst")).as("a HEAD that fails").isFalse();
            for (String upload : List.of(foreignUpload, ownUpload, strayUpload)) {
                s3.client().listMultipartUploads(b -> b.bucket("catalog")).uploads().stream()
                        .filter(u -> u.uploadId().equals(upload)).forEach(u -> s3.client().abortMultipartUpload(
                                b -> b.bucket("catalog").key(u.key()).uploadId(upload)));
            }
        }
    }
}
