package io.dbsnap.cli;

import io.dbsnap.api.storage.Sizes;
import io.dbsnap.api.storage.SnapshotLocation;
import io.dbsnap.core.catalog.Retention;
import io.dbsnap.core.catalog.RetentionRules;
import io.dbsnap.core.catalog.SnapshotCatalog;
import io.dbsnap.core.catalog.SnapshotEntry;
import io.dbsnap.core.catalog.SnapshotSelector;
import io.dbsnap.core.store.IncompleteWrite;
import io.dbsnap.core.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Option;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

@Command(name = "prune", mixinStandardHelpOptions = true, description = {
        "Delete the snapshots a retention policy lets go, per source (restic's rules: each --keep-* keeps",
        "the newest snapshot of each of its last N periods that have one; the newest snapshot always stays),",
        "and what runs that were killed outright left behind (unfinished S3 multipart uploads, partial files)."})
final class PruneCommand extends StoreCommand {

    @Option(names = {"--keep-last", "--keep"}, paramLabel = "N", defaultValue = "0",
            description = "keep the newest N snapshots of each source")
    int keepLast;

    @Option(names = "--keep-hourly", paramLabel = "N", defaultValue = "0", description = "keep the newest of each of the last N hours")
    int keepHourly;

    @Option(names = "--keep-daily", paramLabel = "N", defaultValue = "0", description = "keep the newest of each of the last N days")
    int keepDaily;

    @Option(names = "--keep-weekly", paramLabel = "N", defaultValue = "0", description = "keep the newest of each of the last N ISO weeks")
    int keepWeekly;

    @Option(names = "--keep-monthly", paramLabel = "N", defaultValue = "0", description = "keep the newest of each of the last N months")
    int keepMonthly;

    @Option(names = "--keep-yearly", paramLabel = "N", defaultValue = "0", description = "keep the newest of each of the last N years")
    int keepYearly;

    @Option(names = "--max-age", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "after the rules, let go of snapshots taken more than this (e.g. 400d) before the newest"
                    + " Succeeded one of their source")
    Duration maxAge;

    @Option(names = "--time-zone", paramLabel = "ZONE", defaultValue = "UTC",
            description = "the zone days, weeks, months and years are counted in (default: ${DEFAULT-VALUE})")
    String timeZone;

    @Option(names = "--source", paramLabel = "SOURCE", description = "only prune this source")
    String source;

    @Option(names = "--dry-run", description = "print what each rule keeps and what would be deleted; delete nothing")
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
        RetentionRules rules = rules();
        ZoneId zone = zone();
        SnapshotCatalog catalog = catalog(store);
        List<SnapshotEntry> all = catalog.list();
        List<SnapshotEntry> candidates = source == null ? all : SnapshotSelector.ofSource(all, source);
        List<Retention.SourcePlan> plans = Retention.planBySource(candidates, rules, zone, Instant.now());
        long reclaimed = 0;
        int expired = 0;
        for (Retention.SourcePlan plan : plans) {
            if (dryRun) {
                context.out().printf("%s (%s):%n", plan.source(), rules.describe());
                plan.entries().stream().sorted(SnapshotEntry.OLDEST_FIRST.reversed())
                        .filter(e -> plan.expired().stream().noneMatch(x -> x.id().equals(e.id())))
                        .forEach(e -> context.out().printf("  keep   %s  %s%n", e.id(), String.join(", ",
                                plan.reasons(e))));
            }
            for (SnapshotEntry entry : plan.expired()) {
                if (!dryRun) {
                    catalog.delete(entry);
                }
                reclaimed += entry.manifest().size();
                expired++;
                context.out().printf("%s %s  %s  %s%n", dryRun ? "would delete" : "deleted", entry.id(),
                        entry.sourceKey(), Sizes.human(entry.manifest().size()));
            }
        }
        context.out().printf("%s %d snapshot(s), %s; kept %d%n", dryRun ? "would delete" : "deleted",
                expired, Sizes.human(reclaimed), candidates.size() - expired);
        discardIncomplete(store, catalog);
        discardAbandoned(catalog);
        return 0;
    }

    private RetentionRules rules() {
        try {
            RetentionRules rules = new RetentionRules(keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly,
                    keepYearly, Optional.ofNullable(maxAge), 0);
            if (rules.describe().equals("keep all")) {
                throw new ParameterException(spec.commandLine(), "say what to keep: --keep-last N, --keep-daily N, "
                        + "--keep-weekly N, --keep-monthly N, --keep-yearly N, --keep-hourly N or --max-age DURATION");
            }
            return rules;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private ZoneId zone() {
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new ParameterException(spec.commandLine(), "--time-zone " + timeZone
                    + " is not an IANA time zone; use e.g. Europe/Zurich or UTC");
        }
    }

    private void discardIncomplete(ObjectStore store, SnapshotCatalog catalog) {
        List<IncompleteWrite> leftovers = catalog.incompleteWrites(Instant.now().minus(incompleteOlderThan)).stream()
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
