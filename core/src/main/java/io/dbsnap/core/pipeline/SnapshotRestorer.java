package io.dbsnap.core.pipeline;

import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.catalog.SnapshotEntry;
import io.dbsnap.core.engine.Engine;
import io.dbsnap.core.engine.Engines;
import io.dbsnap.core.engine.RestoreOptions;
import io.dbsnap.core.engine.TargetRefusedException;
import io.dbsnap.core.process.ProcessRunner;
import io.dbsnap.core.store.ObjectStore;
import io.dbsnap.core.database.DatabaseTarget;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Restores a snapshot: download into a scratch file while checking SHA-256 and size against the
 * manifest, and only then touch the database (optionally after a pre-restore snapshot of it).
 * Verifying first costs disk for one uncompressed dump, and buys that a damaged snapshot never
 * reaches the database, even partly; the file also allows a parallel {@code pg_restore -j}.
 */
public final class SnapshotRestorer {

    private final ProcessRunner runner;
    private final SnapshotWriter writer;
    private final Path scratchDir;

    public SnapshotRestorer(ProcessRunner runner, SnapshotWriter writer, Path scratchDir) {
        this.runner = runner;
        this.writer = writer;
        this.scratchDir = scratchDir;
    }

    /** {@code backupFirst}: snapshot the target (if it exists) into the same store before restoring. */
    public record Request(boolean backupFirst, RestoreOptions options) {
    }

    /**
     * What happened: the pre-restore snapshot, if one was taken, whether the database was created, and
     * whether the snapshot was skipped because the target held nothing to keep.
     */
    public record Result(Optional<Manifest> preRestoreSnapshot, boolean createdTarget, boolean targetHeldNothing) {
    }

    /**
     * Restores {@code entry} into {@code target} with {@code engine}, as {@link Engines#forTarget} chose and
     * checked it. A failure once the target is being changed is a {@link RestoreFailedException}.
     */
    public Result restore(Engine engine, DatabaseTarget target, ObjectStore store, SnapshotEntry entry, Request request,
                          TransferListener listener) {
        checkEngine(engine, target, entry);
        Path dump = new SnapshotReader(store).fetchVerified(entry, scratchDir, listener);
        try {
            engine.checkFits(target, dump);
            boolean exists = engine.targetExists(runner, target);
            boolean heldNothing = exists && request.backupFirst() && engine.holdsNothing(runner, target);
            Optional<Manifest> backup = Optional.empty();
            if (exists && request.backupFirst() && !heldNothing) {
                backup = Optional.of(writer.take(engine, target, store,
                        SnapshotRequest.named(SnapshotEntry.PRE_RESTORE_TAG).withTag(SnapshotEntry.PRE_RESTORE_TAG)
                                .withNote("taken by dbsnap before restoring " + entry.id()),
                        TransferListener.NONE));
            }
            if (!exists) {
                engine.createTarget(runner, target);
            }
            try {
                engine.restore(runner, target, dump, request.options());
            } catch (TargetRefusedException refused) {
                throw refused;
            } catch (RuntimeException e) {
                throw new RestoreFailedException(e.getMessage(), e);
            }
            return new Result(backup, !exists, heldNothing);
        } finally {
            SnapshotReader.deleteScratch(dump);
        }
    }

    /**
     * A dry run: downloads and verifies every byte as a restore does, asks the target what it holds,
     * and returns what the restore would replace; nothing is changed anywhere.
     */
    public List<String> plan(Engine engine, DatabaseTarget target, ObjectStore store, SnapshotEntry entry,
                             TransferListener listener) {
        checkEngine(engine, target, entry);
        Path dump = new SnapshotReader(store).fetchVerified(entry, scratchDir, listener);
        try {
            return engine.plan(runner, target, dump);
        } finally {
            SnapshotReader.deleteScratch(dump);
        }
    }

    private static void checkEngine(Engine engine, DatabaseTarget target, SnapshotEntry entry) {
        if (!engine.name().equals(entry.manifest().engine())) {
            throw new EngineMismatchException("snapshot " + entry.id() + " is a " + entry.manifest().engine()
                    + " snapshot and cannot be restored into " + engine.name() + " target " + target);
        }
    }

    /** The snapshot is of another engine than the target. */
    public static final class EngineMismatchException extends DbsnapException {
        EngineMismatchException(String message) {
            super(message);
        }
    }
}
