package io.dbsnap.cli;

import io.dbsnap.api.storage.Sizes;
import io.dbsnap.api.storage.SnapshotLocation;
import io.dbsnap.core.catalog.Retention;
import io.dbsnap.core.catalog.SnapshotCatalog;
import io.dbsnap.core.catalog.SnapshotEntry;
import io.dbsnap.core.catalog.SnapshotSelector;
import io.dbsnap.core.store.IncompleteWrite;
import io.dbsnap.core.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

@Command(name = "prune", mixinStandardHelpOptions = true, description = {
        "Delete all but the newest N snapshots of each source, and what runs that were killed",
        "outright left behind (unfinished S3 multipart uploads, partial files)."})
final class PruneCommand extends StoreCommand {

    @Option(names = "--keep", paramLabel = "N", required = true, description = "snapshots to keep per source")
    int keep;

    @Option(names = "--source", paramLabel = "SOURCE", description = "only prune this source")
    String source;

    @Option(names = "--dry-run", description = "print what would be deleted and the bytes reclaimed; delete nothing")
    boolean dryRun;

    @Option(names = "--incomplete-older-than", paramLabel = "DURATION", defaultValue = "24h",
            converter = DurationConverter.class,
            description = "also discard unfinished uploads and partial files older than this (default: ${DEFAULT-VALUE});"
                    + " younger ones may belong to a snapshot still running")
    Duration incompleteOlderThan;

    PruneCommand(CliContext context) {
        super(context);
    }

    @Override
    protected int run(ObjectStore store) {
        if (keep < 0) {
            throw new ParameterException(spec.commandLine(),
                    "--keep must be 0 or more, not " + keep);
        }
        SnapshotCatalog catalog = catalog(store);
        List<SnapshotEntry> all = catalog.list();
        List<SnapshotEntry> candidates = source == null ? all : SnapshotSelector.ofSource(all, source);
        List<SnapshotEntry> expired = Retention.beyondKeepLast(candidates, keep, Instant.now());
        long reclaimed = 0;
        for (SnapshotEntry entry : expired) {
            if (!dryRun) {
                catalog.delete(entry);
            }
            reclaimed += entry.manifest().size();
            context.out().printf("%s %s  %s  %s%n", dryRun ? "would delete" : "deleted", entry.id(),
                    entry.sourceKey(), Sizes.human(entry.manifest().size()));
        }
        context.out().printf("%s %d snapshot(s), %s; kept %d%n", dryRun ? "would delete" : "deleted",
                expired.size(), Sizes.human(reclaimed), candidates.size() - expired.size());
        discardIncomplete(store);
        discardAbandoned(catalog);
        return 0;
    }

    private void discardIncomplete(ObjectStore store) {
        List<IncompleteWrite> leftovers = store.incompleteWrites(Instant.now().minus(incompleteOlderThan)).stream()
                .filter(w -> source == null || inSource(w.key())).toList();
        for (IncompleteWrite write : leftovers) {
            if (!dryRun) {
                store.discard(write);
            }
            context.out().printf("%s unfinished write %s (started %s)%n", dryRun ? "would discard" : "discarded",
                    write.key(), write.started());
        }
    }

    private void discardAbandoned(SnapshotCatalog catalog) {
        for (SnapshotCatalog.AbandonedFolder folder : catalog.abandoned(Instant.now().minus(incompleteOlderThan))) {
            if (source != null && !inSource(folder.prefix())) {
                continue;
            }
            if (!dryRun) {
                catalog.delete(folder);
            }
            context.out().printf("%s folder without a manifest %s (last written %s)%n",
                    dryRun ? "would discard" : "discarded", folder.prefix(), folder.lastWritten());
        }
    }

    /** Keys are NAMESPACE/SOURCE/ID/FILE: a write belongs to SOURCE or NAMESPACE/SOURCE like a snapshot does. */
    private boolean inSource(String key) {
        return SnapshotLocation.ofKey("", key).filter(folder -> source.equals(folder.source())
                || source.equals(folder.namespace() + "/" + folder.source())).isPresent();
    }
}
