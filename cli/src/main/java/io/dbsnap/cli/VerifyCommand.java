package io.dbsnap.cli;

import io.dbsnap.api.storage.Sizes;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.catalog.SnapshotCatalog;
import io.dbsnap.core.catalog.SnapshotEntry;
import io.dbsnap.core.catalog.SnapshotSelector;
import io.dbsnap.core.pipeline.SnapshotReader;
import io.dbsnap.core.pipeline.StreamResult;
import io.dbsnap.core.store.ObjectStore;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Optional;

@Command(name = "verify", mixinStandardHelpOptions = true, description = "Re-read snapshots and check their SHA-256 and size against the manifest.")
final class VerifyCommand extends StoreCommand {

    @ArgGroup(multiplicity = "1")
    Which which;

    static final class Which {
        @Option(names = "--id", paramLabel = "ID", required = true, description = "one snapshot")
        String id;

        @Option(names = "--all", required = true, description = "every snapshot (of --source, if given)")
        boolean all;
    }

    @Option(names = "--source", paramLabel = "SOURCE", description = "only snapshots of this source")
    String source;

    VerifyCommand(CliContext context) {
        super(context);
    }

    @picocli.CommandLine.Mixin
    IdentityOptions identity = new IdentityOptions();

    @Override
    protected int run(ObjectStore store) {
        SnapshotCatalog.Listing listing = catalog(store).listing();
        List<SnapshotEntry> entries = listing.snapshots();
        List<SnapshotEntry> chosen = which.id != null
                ? List.of(SnapshotSelector.byId(entries, which.id, Optional.ofNullable(source)))
                : entries.stream().filter(e -> source == null || e.fromSource(source)).toList();
        // a manifest that cannot be read is a failed snapshot, not one to pass over
        int failed = 0;
        if (which.all) {
            for (String problem : listing.unreadable()) {
                failed++;
                context.out().println("FAILED  " + context.scrub(problem));
            }
        }
        if (chosen.isEmpty() && failed == 0) {
            throw new DbsnapException("no snapshots to verify in " + store.uri()
                    + (source != null ? " from source " + source : "") + "; check --store and --source");
        }
        SnapshotReader reader = new SnapshotReader(store, identity.identities(context));
        for (SnapshotEntry entry : chosen) {
            try {
                StreamResult result = reader.verify(entry, progress());
                context.out().printf("ok      %s  %s  %s  sha256:%s%s%n", entry.id(), entry.sourceKey(),
                        Sizes.human(result.size()), result.sha256(), result.rawSize() < 0
                                ? "  (encrypted: stored bytes checked; give --identity to decrypt and check the dump)"
                                : "");
            } catch (DbsnapException e) {
                failed++;
                context.out().printf("FAILED  %s  %s  %s%n", entry.id(), entry.sourceKey(), context.scrub(e.getMessage()));
            }
        }
        if (failed > 0) {
            throw new DbsnapException(failed + " of " + (chosen.size() + (which.all ? listing.unreadable().size() : 0))
                    + " snapshot(s) failed verification");
        }
        return 0;
    }
}
