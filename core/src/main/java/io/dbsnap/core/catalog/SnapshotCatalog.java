package io.dbsnap.core.catalog;

import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.api.manifest.ManifestCodec;
import io.dbsnap.api.storage.SnapshotLayout;
import io.dbsnap.api.storage.SnapshotLocation;
import io.dbsnap.core.crypto.AgeEncryption;
import io.dbsnap.core.pipeline.Compression;
import io.dbsnap.core.store.IncompleteWrite;
import io.dbsnap.core.store.ObjectStore;
import io.dbsnap.core.store.StoredObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The snapshots in a store: every folder with a readable manifest. Data without a manifest (a run
 * that failed or was killed) is not a snapshot and is never listed, restored or pruned as one.
 */
public final class SnapshotCatalog {

    private static final String AGE = AgeEncryption.EXTENSION;
    private final ObjectStore store;
    private final Consumer<String> warnings;

    public SnapshotCatalog(ObjectStore store, Consumer<String> warnings) {
        this.store = store;
        this.warnings = warnings;
    }

    /** The snapshots, oldest first, and the manifests that could not be read as such. */
    public record Listing(List<SnapshotEntry> snapshots, List<String> unreadable) {
    }

    /** Oldest first; a manifest that is not one is skipped with a warning. */
    public List<SnapshotEntry> list() {
        Listing listing = listing();
        listing.unreadable().forEach(warnings);
        return listing.snapshots();
    }

    /**
     * Every manifest in the store that lies in its own snapshot's folder. A store that fails while
     * reading one fails the whole listing: skipping it could make an older snapshot look like the newest.
     */
    public Listing listing() {
        List<SnapshotEntry> entries = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (StoredObject object : store.list("")) {
            String key = object.key();
            if (!key.endsWith("/" + Manifest.FILE_NAME)) {
                continue;
            }
            String prefix = key.substring(0, key.length() - Manifest.FILE_NAME.length());
            Manifest manifest;
            try {
                manifest = ManifestCodec.fromJson(store.get(key));
            } catch (ManifestCodec.InvalidManifestException e) {
                unreadable.add("skipping " + store.location(key) + ": " + e.getMessage());
                continue;
            }
            // a manifest copied into another folder (a source's, a namespace's) is not that folder's snapshot:
            // pruning it would delete the folder, every snapshot in it; a store opened above the layout's root
            // still lists its snapshots
            String filed = SnapshotLayout.snapshotPrefix(manifest);
            if (!prefix.equals(filed) && !prefix.endsWith("/" + filed)) {
                unreadable.add("skipping " + store.location(key) + ": it describes snapshot " + manifest.id() + " of "
                        + filed + ", not one in " + prefix + " (a copied manifest?); it is not listed, restored or pruned");
                continue;
            }
            entries.add(new SnapshotEntry(manifest, prefix));
        }
        entries.sort(SnapshotEntry.OLDEST_FIRST);
        return new Listing(entries, unreadable);
    }

    /** A snapshot folder that holds data but never got a manifest: a run that died between the two. */
    public record AbandonedFolder(String prefix, List<StoredObject> objects, Instant lastWritten) {
    }

    /**
     * Folders laid out as {@code NAMESPACE/SOURCE/ID/} with objects but no manifest, none of them
     * written since {@code before} (a younger one may belong to a snapshot still being written), and
     * every object in them dbsnap's own: marked as its write where the store marks writes (S3), else
     * named as its compressed data files are. Another tool's backups in a folder of the same shape
     * ({@code mysql/prod/20261101-020000-full/backup.tar}) are not reclaimed.
     */
    public List<AbandonedFolder> abandoned(Instant before) {
        Map<String, List<StoredObject>> byFolder = new TreeMap<>();
        for (StoredObject object : store.list("")) {
            SnapshotLocation.ofKey(store.uri(), object.key()).ifPresent(folder ->
                    byFolder.computeIfAbsent(folder.prefix(), k -> new ArrayList<>()).add(object));
        }
        List<AbandonedFolder> abandoned = new ArrayList<>();
        byFolder.forEach((prefix, objects) -> {
            Instant last = objects.stream().map(StoredObject::modified).max(Comparator.naturalOrder()).orElseThrow();
            boolean hasManifest = objects.stream().anyMatch(o -> o.key().equals(SnapshotLayout.manifestKey(prefix)));
            if (!hasManifest && last.isBefore(before) && objects.stream().allMatch(this::ours)) {
                abandoned.add(new AbandonedFolder(prefix, List.copyOf(objects), last));
            }
        });
        return abandoned;
    }

    private boolean ours(StoredObject object) {
        return store.marksWrites() ? store.markedAsOurs(object.key()) : namedAsOurs(object.key());
    }

    /**
     * Unfinished writes (a killed run's multipart upload or partial file) of dbsnap's: in a snapshot's folder
     * and, on a store that marks its writes (S3, whose uploads carry no mark until complete), named as its files
     * are; a file store's partial files bear dbsnap's own naming. Another tool's uploads are not dbsnap's to discard.
     */
    public List<IncompleteWrite> incompleteWrites(Instant before) {
        return store.incompleteWrites(before).stream()
                .filter(w -> SnapshotLocation.ofKey(store.uri(), w.key()).isPresent()
                        && (!store.marksWrites() || namedAsOurs(w.key())))
                .toList();
    }

    /** A manifest, or a compressed (perhaps encrypted) data file; uncompressed data has no suffix to know it by. */
    private static boolean namedAsOurs(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return name.equals(Manifest.FILE_NAME) || Compression.namesCompressedFile(name.endsWith(AGE)
                ? name.substring(0, name.length() - AGE.length()) : name);
    }

    /** Deletes what an abandoned folder holds, unless a manifest appeared in it since it was listed. */
    public void delete(AbandonedFolder folder) {
        if (!store.list(SnapshotLayout.manifestKey(folder.prefix())).isEmpty()) {
            return;
        }
        folder.objects().forEach(o -> store.delete(o.key()));
    }

    /**
     * The snapshot in folder {@code prefix} ({@code NAMESPACE/SOURCE/ID/}), by its manifest, which must
     * say it belongs in that folder: a manifest copied elsewhere describes some other snapshot.
     */
    public static SnapshotEntry at(ObjectStore store, String prefix) {
        String key = SnapshotLayout.manifestKey(prefix);
        if (store.list(key).stream().noneMatch(object -> object.key().equals(key))) {
            throw new SnapshotNotFoundException("no snapshot at " + store.location(prefix) + ": there is no "
                    + Manifest.FILE_NAME + " in that folder");
        }
        Manifest manifest;
        try {
            manifest = ManifestCodec.fromJson(store.get(key));
        } catch (ManifestCodec.InvalidManifestException e) {
            throw new UnreadableManifestException(store.location(key) + ": " + e.getMessage());
        }
        String filed = SnapshotLayout.snapshotPrefix(manifest);
        if (!filed.equals(prefix)) {
            throw new UnreadableManifestException("the manifest at " + store.location(key) + " describes snapshot "
                    + manifest.id() + " of " + filed + ", not one in " + prefix);
        }
        return new SnapshotEntry(manifest, prefix);
    }

    /**
     * Deletes a snapshot: the manifest first, so an interrupted delete leaves unlisted data rather
     * than a listed snapshot with missing data.
     */
    public void delete(SnapshotEntry entry) {
        delete(store, entry.prefix());
    }

    /**
     * Deletes the snapshot in folder {@code prefix} ({@code NAMESPACE/SOURCE/ID/}) the same way, for
     * prune and for the operator's Delete policy alike; returns how many of its objects are still there.
     * Only the folder's own files go: a snapshot's folder has no subfolders, so anything below one is not its.
     */
    public static int delete(ObjectStore store, String prefix) {
        store.delete(SnapshotLayout.manifestKey(prefix));
        for (StoredObject object : ownFiles(store, prefix)) {
            store.delete(object.key());
        }
        return ownFiles(store, prefix).size();
    }

    private static List<StoredObject> ownFiles(ObjectStore store, String prefix) {
        return store.list(prefix).stream().filter(o -> o.key().indexOf('/', prefix.length()) < 0).toList();
    }
}
