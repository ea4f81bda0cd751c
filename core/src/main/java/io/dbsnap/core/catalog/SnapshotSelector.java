package io.dbsnap.core.catalog;

import io.dbsnap.api.manifest.ManifestSource;
import io.dbsnap.core.DbsnapException;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Picks snapshots out of a list (oldest first) the way {@code restore --latest/--id/--tag} and {@code prune} ask. */
public final class SnapshotSelector {

    private SnapshotSelector() {
    }

    public static SnapshotEntry byId(List<SnapshotEntry> entries, String id, Optional<String> source) {
        List<SnapshotEntry> matches = entries.stream()
                .filter(e -> e.id().equals(id))
                .filter(e -> source.map(e::fromSource).orElse(true))
                .toList();
        if (matches.isEmpty()) {
            throw new DbsnapException("no snapshot with id " + id + source.map(s -> " from source " + s).orElse("")
                    + "; run 'dbsnap list' to see the ids");
        }
        if (matches.size() > 1) {
            throw new DbsnapException("id " + id + " exists for several sources (" + describe(matches)
                    + "); add --source NAMESPACE/SOURCE");
        }
        return matches.get(0);
    }

    /**
     * The snapshots whose source is {@code filter} (a folder name or {@code namespace/name}), which
     * must all be of one database: a name shared by two namespaces, or a folder two databases share,
     * fails and lists them instead of mixing their snapshots.
     */
    public static List<SnapshotEntry> ofSource(List<SnapshotEntry> entries, String filter) {
        List<SnapshotEntry> matches = entries.stream().filter(e -> e.fromSource(filter)).toList();
        Map<String, SnapshotEntry> databases = new LinkedHashMap<>();
        matches.forEach(e -> databases.putIfAbsent(e.identity(), e));
        if (databases.size() > 1) {
            throw new DbsnapException("source " + filter + " names snapshots of " + databases.size() + " databases ("
                    + describe(List.copyOf(databases.values())) + "); pass --source NAMESPACE/SOURCE as 'dbsnap list' "
                    + "shows it, or pick the snapshot with --id");
        }
        return matches;
    }

    /** The snapshots of exactly the database {@code source} describes, taken by {@code engine}. */
    public static List<SnapshotEntry> ofDatabase(List<SnapshotEntry> entries, String engine, ManifestSource source) {
        String identity = SnapshotEntry.identity(engine, source);
        return entries.stream().filter(e -> e.identity().equals(identity)).toList();
    }

    /**
     * The newest of {@code entries} (all of one source), optionally only those tagged {@code tag}. A
     * restore's own safety snapshot is never "the latest": a second {@code restore --latest} must
     * restore the same snapshot as the first, not the state the first one replaced. Nor is one dated
     * after {@code now}, which a writer with a fast clock made.
     */
    public static SnapshotEntry latest(List<SnapshotEntry> entries, String sourceName, Optional<String> tag,
                                       Instant now) {
        List<SnapshotEntry> tagged = entries.stream()
                .filter(e -> tag.map(t -> t.equals(e.manifest().tag())).orElse(!e.isPreRestore()))
                .toList();
        Optional<SnapshotEntry> newest = tagged.stream().filter(e -> !e.takenAfter(now)).max(SnapshotEntry.OLDEST_FIRST);
        if (newest.isPresent()) {
            return newest.get();
        }
        long future = tagged.stream().filter(e -> e.takenAfter(now)).count();
        throw new DbsnapException("no snapshot" + tag.map(t -> " tagged '" + t + "'").orElse("") + " of source "
                + sourceName + (future > 0 ? " (" + future + " dated in the future, by a clock ahead of this one, are "
                + "never taken as the latest: pick one with --id)" : "")
                + "; run 'dbsnap list' to see what there is, or pass --source");
    }

    private static String describe(List<SnapshotEntry> entries) {
        return entries.stream().map(e -> e.sourceKey() + " = " + e.manifest().engine() + " "
                + e.manifest().source().describe()).collect(Collectors.joining(", "));
    }
}
