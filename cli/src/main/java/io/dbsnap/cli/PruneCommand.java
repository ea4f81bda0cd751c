package io.dbsnap.cli;

import io.dbsnap.core.catalog.Retention;
import io.dbsnap.core.catalog.SnapshotCatalog;
import io.dbsnap.core.catalog.SnapshotEntry;
import io.dbsnap.core.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Option;

import java.util.List;

@Command(name = "prune", mixinStandardHelpOptions = true, description = "Delete all but the newest N snapshots of each source.")
final class PruneCommand extends StoreCommand {

    @Option(names = "--keep", paramLabel = "N", required = true, description = "snapshots to keep per source")
    int keep;

    @Option(names = "--source", paramLabel = "SOURCE", description = "only prune this source")
    String source;

    @Option(names = "--dry-run", description = "print what would be deleted and the bytes reclaimed; delete nothing")
    boolean dryRun;

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
        List<SnapshotEntry> candidates = catalog.list().stream()
                .filter(e -> source == null || e.fromSource(source)).toList();
        List<SnapshotEntry> expired = Retention.beyondKeepLast(candidates, keep);
        long reclaimed = 0;
        for (SnapshotEntry entry : expired) {
            if (!dryRun) {
                catalog.delete(entry);
            }
            reclaimed += entry.manifest().size();
            context.out().printf("%s %s  %s  %s%n", dryRun ? "would delete" : "deleted", entry.id(),
                    entry.sourceKey(), Bytes.human(entry.manifest().size()));
        }
        context.out().printf("%s %d snapshot(s), %s; kept %d%n", dryRun ? "would delete" : "deleted",
                expired.size(), Bytes.human(reclaimed), candidates.size() - expired.size());
        return 0;
    }
}
