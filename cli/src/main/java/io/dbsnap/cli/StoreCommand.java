package io.dbsnap.cli;

import io.dbsnap.core.catalog.SnapshotCatalog;
import io.dbsnap.core.catalog.SnapshotEntry;
import io.dbsnap.core.pipeline.TransferListener;
import io.dbsnap.core.store.ObjectStore;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/** A command that works on a store: opens it, lists its snapshots, shows progress on a terminal. */
abstract class StoreCommand implements Callable<Integer> {

    protected final CliContext context;

    @Mixin
    StoreOptions storeOptions;

    @Spec
    CommandSpec spec;

    StoreCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public final Integer call() throws Exception {
        Integer answered = withoutStore();
        if (answered != null) {
            return answered;
        }
        chooseStore(storeOptions);
        try (ObjectStore store = storeOptions.open(context)) {
            return run(store);
        }
    }

    protected abstract int run(ObjectStore store) throws Exception;

    /** A command that can answer from elsewhere (list, from the cluster) does so here; null: from the store. */
    protected Integer withoutStore() throws Exception {
        return null;
    }

    /** Where a command's own arguments name the store (a snapshot's location), it says so here. */
    protected void chooseStore(StoreOptions options) {
    }

    protected List<SnapshotEntry> snapshots(ObjectStore store) {
        return catalog(store).list();
    }

    protected SnapshotCatalog catalog(ObjectStore store) {
        return new SnapshotCatalog(store, this::warn);
    }

    protected void warn(String message) {
        context.err().println("dbsnap: warning: " + context.scrub(message));
    }

    protected TransferListener progress() {
        return context.terminal().interactive() ? new ProgressBarListener(System.err) : TransferListener.NONE;
    }
}
