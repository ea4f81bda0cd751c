package io.dbsnap.core.catalog;

import io.dbsnap.core.engine.Engine;
import io.dbsnap.core.engine.Engines;
import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.api.manifest.ManifestSource;
import io.dbsnap.api.storage.SnapshotLayout;

import java.util.Comparator;

/** A snapshot found in a store: its manifest and the folder (key prefix, ending in /) it lives in. */
public record SnapshotEntry(Manifest manifest, String prefix) {

    /** The tag of the safety snapshot a restore takes of its target first. */
    public static final String PRE_RESTORE_TAG = "pre-restore";

    /** By creation time; the id breaks ties between snapshots of the same second. */
    public static final Comparator<SnapshotEntry> OLDEST_FIRST = Comparator
            .comparing((SnapshotEntry e) -> e.manifest().createdAt()).thenComparing(SnapshotEntry::id);

    public String id() {
        return manifest.id();
    }

    /** {@code namespace/name}, e.g. {@code local/localhost-5432-orders} or {@code prod/orders-db-0}. */
    public String sourceKey() {
        return sourceKey(manifest.source());
    }

    public static String sourceKey(ManifestSource source) {
        return source.namespace() + "/" + source.name();
    }

    /** Exactly which database of which engine this is a snapshot of; equal only for the same database. */
    public String identity() {
        return identity(manifest.engine(), manifest.source());
    }

    /** The identity of {@code source} as {@code engine} took it. */
    public static String identity(String engine, ManifestSource source) {
        // an engine this dbsnap does not know (a newer one's manifest) has no default to leave out
        int defaultPort = Engines.find(engine).map(Engine::defaultPort).orElse(0);
        return engine + " " + source.identity(defaultPort);
    }

    /** How far another writer's clock may run ahead of this one before its snapshots count as dated in the future. */
    public static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofMinutes(5);

    /** Whether the snapshot claims to have been taken after {@code now} (beyond {@link #CLOCK_SKEW}): a clock far ahead. */
    public boolean takenAfter(java.time.Instant now) {
        return manifest.createdAt().isAfter(now.plus(CLOCK_SKEW));
    }

    /** True when {@code filter} is this snapshot's source name or {@code namespace/name}. */
    public boolean fromSource(String filter) {
        return filter.equals(sourceKey()) || filter.equals(manifest.source().name());
    }

    /** A restore's safety snapshot: never "the latest" snapshot, and kept apart by retention. */
    public boolean isPreRestore() {
        return PRE_RESTORE_TAG.equals(manifest.tag());
    }

    public String dataKey() {
        return prefix + manifest.dataFile().name();
    }

    public String manifestKey() {
        return SnapshotLayout.manifestKey(prefix);
    }
}
