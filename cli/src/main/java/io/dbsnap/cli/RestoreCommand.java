package io.dbsnap.cli;

import io.dbsnap.api.storage.Sizes;
import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.api.manifest.ManifestSource;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.api.storage.SnapshotLocation;
import io.dbsnap.core.catalog.SnapshotCatalog;
import io.dbsnap.core.catalog.SnapshotEntry;
import io.dbsnap.core.pipeline.ChecksumMismatchException;
import io.dbsnap.core.catalog.SnapshotSelector;
import io.dbsnap.core.engine.Engine;
import io.dbsnap.core.engine.Engines;
import io.dbsnap.core.engine.RestoreOptions;
import io.dbsnap.core.mask.Masking;
import io.dbsnap.core.crypto.AgeIdentities;
import io.dbsnap.core.pipeline.SnapshotRestorer;
import io.dbsnap.core.pipeline.SnapshotWriter;
import io.dbsnap.core.process.LocalProcessRunner;
import io.dbsnap.core.store.ObjectStore;
import io.dbsnap.core.database.DatabaseTarget;
import io.dbsnap.core.database.TargetParser;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@Command(name = "restore", mixinStandardHelpOptions = true, description = {
        "Restore a snapshot into a database, after verifying every byte of it.",
        "The database is created when it does not exist. Unless --no-backup, an existing database is",
        "snapshotted first (tag pre-restore). Objects in the snapshot replace their namesakes;",
        "objects that are not in the snapshot are left alone."})
final class RestoreCommand extends StoreCommand {

    @Parameters(paramLabel = "TARGET", description = "the database to restore into")
    String targetUrl;

    @ArgGroup(multiplicity = "1")
    Which which;

    static final class Which {
        @Option(names = "--latest", required = true, description = "the newest snapshot of the source")
        boolean latest;

        @Option(names = "--id", paramLabel = "ID", required = true, description = "the snapshot with this id")
        String id;

        @Option(names = "--tag", paramLabel = "TAG", required = true, description = "the newest snapshot with this tag")
        String tag;

        @Option(names = "--location", paramLabel = "URL", required = true,
                description = "the snapshot in this folder (STORE/NAMESPACE/SOURCE/ID/, as a snapshot's status.location)")
        String location;
    }

    @Option(names = "--before", paramLabel = "TIME",
            description = "with --latest or --tag: the newest taken at or before this time (2026-12-01T09:00:00Z)")
    String before;

    @Option(names = "--sha256", paramLabel = "HEX", description = "the checksum the snapshot's stored object must have")
    String sha256;

    @Option(names = "--source", paramLabel = "SOURCE",
            description = "whose snapshots to choose from (default: the target's own source)")
    String source;

    @Option(names = "--force", description = "do not ask for confirmation")
    boolean force;

    @Option(names = "--dry-run", description = "print what would happen and change nothing")
    boolean dryRun;

    @Option(names = "--no-backup", description = "do not snapshot the target before restoring")
    boolean noBackup;

    @Option(names = "--no-owner", description = "do not restore ownership and privileges (roles differ on the target)")
    boolean noOwner;

    @Mixin
    MaskOptions mask = new MaskOptions();

    @Mixin
    IdentityOptions identity = new IdentityOptions();

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "1",
            description = "parallel restore jobs; above 1 is faster but not atomic (default: ${DEFAULT-VALUE})")
    int jobs;

    @Option(names = "--scratch-dir", paramLabel = "DIR",
            description = "where the verified dump is kept while restoring (default: $TMPDIR)")
    Path scratchDir;

    RestoreCommand(CliContext context) {
        super(context);
    }

    @Override
    protected void chooseStore(StoreOptions options) {
        if (which.location == null) {
            return;
        }
        String store;
        try {
            store = SnapshotLocation.parse(which.location).storeUri();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (options.store != null && !options.store.equals(store)) {
            throw new ParameterException(spec.commandLine(), "--location " + which.location + " is in store " + store
                    + ", not --store " + options.store + ": give one of them");
        }
        options.store = store;
    }

    @Override
    protected int run(ObjectStore store) {
        DatabaseTarget target = TargetParser.parse(targetUrl);
        Engine engine = Engines.forTarget(target);
        if (jobs < 1) {
            throw new ParameterException(spec.commandLine(), "--jobs must be 1 or more, not " + jobs);
        }
        Masking masking = mask.masking(context);
        AgeIdentities identities = identity.identities(context);
        if (masking != null && jobs > 1) {
            throw new ParameterException(spec.commandLine(), "a masked restore runs as one stream in one transaction: "
                    + "leave out --jobs");
        }
        if (before != null && !which.latest && which.tag == null) {
            throw new ParameterException(spec.commandLine(), "--before chooses among snapshots: use it with --latest "
                    + "or --tag, not with --id or --location");
        }
        SnapshotEntry entry = choose(store, engine, target);
        Manifest m = entry.manifest();
        String plan = String.format("restore %s (%s %s, %s, taken %s from %s) into %s", entry.id(), m.engine(),
                m.engineVersion(), Sizes.human(m.rawSize()), m.createdAt(), entry.sourceKey(), target);
        LocalProcessRunner runner = new LocalProcessRunner();
        SnapshotRestorer restorer = new SnapshotRestorer(runner, new SnapshotWriter(runner, Clock.systemUTC()), scratch(),
                identities);
        if (dryRun) {
            // the plan the operator writes into a dry run's status: every byte verified, the target asked, nothing changed
            List<String> steps = restorer.plan(engine, target, store, entry, masking, progress());
            context.out().println("would " + plan + ", sha256 verified: " + m.dataFile().sha256()
                    + (noBackup ? "" : ", after a pre-restore snapshot of the target if it exists") + ":");
            steps.forEach(step -> context.out().println("  " + step));
            return 0;
        }
        if (!force && context.terminal().interactive()
                && !context.terminal().confirm("About to " + plan + ". Objects in the snapshot are replaced. Go on?")) {
            throw new DbsnapException("restore cancelled; nothing was changed");
        }
        SnapshotRestorer.Result result = restorer
                .restore(engine, target, store, entry, new SnapshotRestorer.Request(!noBackup, new RestoreOptions(noOwner, jobs), masking),
                        progress());
        if (result.targetHeldNothing()) {
            context.out().println("no pre-restore snapshot: the target held no databases to keep");
        }
        result.preRestoreSnapshot().ifPresent(backup -> context.out().println(
                "pre-restore snapshot " + backup.id() + " (restore it with --id " + backup.id() + ")"));
        result.masked().forEach(line -> context.out().println(line));
        context.out().println("restored " + entry.id() + " into " + target + (result.createdTarget()
                ? " (database created)" : "") + (masking != null ? ", masked" : "") + ", sha256 verified: "
                + m.dataFile().sha256());
        return 0;
    }

    /** By location or id; or the latest of --source (before a time), or else of exactly the target's own database. */
    private SnapshotEntry choose(ObjectStore store, Engine engine, DatabaseTarget target) {
        SnapshotEntry chosen = which.location != null ? SnapshotCatalog.at(store, SnapshotLocation.parse(which.location)
                .prefix()) : which.id != null ? SnapshotSelector.byId(snapshots(store), which.id, Optional.ofNullable(source))
                : latest(snapshots(store), engine, target);
        String stored = chosen.manifest().dataFile().sha256();
        if (sha256 != null && !sha256.toLowerCase(java.util.Locale.ROOT).replaceFirst("^sha256:", "").equals(stored)) {
            throw new ChecksumMismatchException("snapshot " + chosen.id() + " has sha256:" + stored + ", not the "
                    + sha256 + " --sha256 names: it is not the snapshot meant; nothing was changed");
        }
        return chosen;
    }

    private SnapshotEntry latest(List<SnapshotEntry> all, Engine engine, DatabaseTarget target) {
        List<SnapshotEntry> entries = all;
        if (before != null) {
            Instant at;
            try {
                at = Instant.parse(before.strip());
            } catch (java.time.format.DateTimeParseException e) {
                throw new ParameterException(spec.commandLine(), "--before '" + before + "' is not a time such as "
                        + "2026-12-01T09:00:00Z");
            }
            entries = all.stream().filter(e -> !e.manifest().createdAt().isAfter(at)).toList();
        }
        ManifestSource own = engine.source(target);
        List<SnapshotEntry> ofSource = source != null ? SnapshotSelector.ofSource(entries, source)
                : SnapshotSelector.ofDatabase(entries, engine.name(), own);
        Instant now = Instant.now();
        long ahead = ofSource.stream().filter(e -> e.takenAfter(now)).count();
        if (ahead > 0) {
            context.err().println("dbsnap: warning: " + ahead + " snapshot(s) of this source are dated more than "
                    + SnapshotEntry.CLOCK_SKEW.toMinutes() + " minutes in the future (a writer's clock is ahead) and are "
                    + "not taken as the latest; pick one with --id if it is the one");
        }
        return SnapshotSelector.latest(ofSource, source != null ? source : SnapshotEntry.sourceKey(own),
                Optional.ofNullable(which.tag), now);
    }

    private Path scratch() {
        if (scratchDir != null) {
            return context.workingDirectory().resolve(scratchDir);
        }
        return Path.of(context.env().getOrDefault("TMPDIR", System.getProperty("java.io.tmpdir")));
    }
}
