package io.dbsnap.core.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Which snapshots a retention rule lets go. */
public final class Retention {

    private Retention() {
    }

    /**
     * Keeps the newest {@code keep} snapshots of each source (by the exact database they hold, never
     * by folder name alone), and apart from them the newest {@code keep} pre-restore snapshots, so
     * safety copies never push out the snapshots they guard; returns the others, oldest first. A
     * snapshot dated after {@code now} is kept and counts for nothing: a writer's fast clock must not
     * make real snapshots look older than they are.
     */
    public static List<SnapshotEntry> beyondKeepLast(List<SnapshotEntry> entries, int keep, Instant now) {
        if (keep < 0) {
            throw new IllegalArgumentException("keep must not be negative");
        }
        Map<String, List<SnapshotEntry>> bySource = new LinkedHashMap<>();
        entries.stream().filter(e -> !e.takenAfter(now)).forEach(e -> bySource.computeIfAbsent(
                e.identity() + (e.isPreRestore() ? " (pre-restore)" : ""), k -> new ArrayList<>()).add(e));
        Comparator<SnapshotEntry> newestFirst = SnapshotEntry.OLDEST_FIRST.reversed();
        List<SnapshotEntry> expired = new ArrayList<>();
        for (List<SnapshotEntry> ofSource : bySource.values()) {
            ofSource.stream().sorted(newestFirst).skip(keep).forEach(expired::add);
        }
        expired.sort(SnapshotEntry.OLDEST_FIRST);
        return expired;
    }
}
