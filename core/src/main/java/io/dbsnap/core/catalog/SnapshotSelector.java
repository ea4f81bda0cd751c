package io.dbsnap.core.catalog;

import io.dbsnap.core.DbsnapException;

import java.util.List;
import java.util.Optional;

/** Picks one snapshot out of a list (oldest first) the way {@code restore --latest/--id/--tag} asks. */
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
            throw new DbsnapException("id " + id + " exists for several sources ("
                    + String.join(", ", matches.stream().map(SnapshotEntry::sourceKey).toList())
                    + "); add --source");
        }
        return matches.get(0);
    }

    /**
     * The newest snapshot of {@code source}, optionally only those tagged {@code tag}. A restore's
     * own safety snapshot is never "the latest": a second {@code restore --latest} must restore the
     * same snapshot as the first, not the state the first one replaced.
     */
    public static SnapshotEntry latest(List<SnapshotEntry> entries, String source, Optional<String> tag) {
        return entries.stream()
                .filter(e -> e.fromSource(source))
                .filter(e -> tag.map(t -> t.equals(e.manifest().tag())).orElse(!e.isPreRestore()))
                .max(SnapshotEntry.OLDEST_FIRST)
                .orElseThrow(() -> new DbsnapException("no snapshot" + tag.map(t -> " tagged '" + t + "'").orElse("")
                        + " of source " + source + "; run 'dbsnap list' to see what there is, or pass --source"));
    }
}
