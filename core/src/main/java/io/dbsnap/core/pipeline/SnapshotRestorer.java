package io.dbsnap.core.pipeline;

import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.catalog.SnapshotEntry;
import io.dbsnap.core.crypto.AgeEncryption;
import io.dbsnap.core.crypto.AgeIdentities;
import io.dbsnap.core.crypto.DecryptionException;
import io.dbsnap.core.engine.Engine;
import io.dbsnap.core.engine.Engines;
import io.dbsnap.core.engine.MaskedRestore;
import io.dbsnap.core.engine.RestoreOptions;
import io.dbsnap.core.mask.MaskPlan;
import io.dbsnap.core.mask.Masking;
import io.dbsnap.core.engine.StreamedRestore;
import io.dbsnap.core.engine.TargetRefusedException;
import io.dbsnap.core.process.ProcessRunner;
import io.dbsnap.core.store.ObjectStore;
import io.dbsnap.core.database.DatabaseTarget;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Restores a snapshot (optionally after a pre-restore snapshot of the target). An engine that restores
 * in one transaction is fed as the snapshot downloads, its commit held back until every stored byte
 * matched the manifest ({@link StreamedRestore}); any other first downloads into a scratch file while
 * checking SHA-256 and sizes, and only then touches the database, so a damaged snapshot never reaches
 * it, even partly. The file also allows a parallel {@code pg_restore -j}.
 */
public final class SnapshotRestorer {

    private final ProcessRunner runner;
    private final SnapshotWriter writer;
    private final Path scratchDir;
    private final AgeIdentities identities;

    public SnapshotRestorer(ProcessRunner runner, SnapshotWriter writer, Path scratchDir) {
        this(runner, writer, scratchDir, AgeIdentities.NONE);
    }

    /** A restorer that decrypts encrypted snapshots with {@code identities}. */
    public SnapshotRestorer(ProcessRunner runner, SnapshotWriter writer, Path scratchDir, AgeIdentities identities) {
        this.runner = runner;
        this.writer = writer;
        this.scratchDir = scratchDir;
        this.identities = identities;
    }

    /**
     * {@code backupFirst}: snapshot the target (if it exists) into the same store (or {@code backupStore}) before
     * restoring;
     * {@code masking}: rewrite the rows on their way in (null: restore them as they are).
     */
    public record Request(boolean backupFirst, RestoreOptions options, Masking masking, ObjectStore backupStore) {

        public Request(boolean backupFirst, RestoreOptions options) {
            this(backupFirst, options, null, null);
        }

        public Request(boolean backupFirst, RestoreOptions options, Masking masking) {
            this(backupFirst, options, masking, null);
        }

        /** The pre-restore snapshot goes here instead of the snapshot's own store (a laptop's, not production's). */
        public Request backingUpTo(ObjectStore store) {
            return new Request(backupFirst, options, masking, store);
        }
    }

    /**
     * What happened: the pre-restore snapshot, if one was taken, whether the database was created, and
     * whether the snapshot was skipped because the target held nothing to keep.
     */
    public record Result(Optional<Manifest> preRestoreSnapshot, boolean createdTarget, boolean targetHeldNothing,
                         List<String> masked) {

        public Result(Optional<Manifest> preRestoreSnapshot, boolean createdTarget, boolean targetHeldNothing) {
            this(preRestoreSnapshot, createdTarget, targetHeldNothing, List.of());
        }
    }

    /**
     * Restores {@code entry} into {@code target} with {@code engine}, as {@link Engines#forTarget} chose and
     * checked it. A failure once the target is being changed is a {@link RestoreFailedException}.
     */
    public Result restore(Engine engine, DatabaseTarget target, ObjectStore store, SnapshotEntry entry, Request request,
                          TransferListener listener) {
        checkEngine(engine, target, entry);
        if (request.masking() != null) {
            return restoreMasked(engine, target, store, entry, request, listener);
        }
        if (engine instanceof StreamedRestore streamed && streamed.streams(request.options())) {
            return restoreStreamed(engine, streamed, target, store, entry, request, listener);
        }
        Path dump = new SnapshotReader(store, identities).fetchVerified(entry, scratchDir, listener);
        try {
            engine.checkFits(target, dump);
            Result prepared = prepare(engine, target, store, entry, request);
            try {
                engine.restore(runner, target, dump, request.options());
            } catch (TargetRefusedException refused) {
                throw refused;
            } catch (RuntimeException e) {
                throw new RestoreFailedException(e.getMessage(), e);
            }
            return prepared;
        } finally {
            SnapshotReader.deleteScratch(dump);
        }
    }

    /**
     * Masks the rows on their way in, from a verified scratch file: the rules are bound to the snapshot's
     * tables (the strict gate, misspelt columns, types, the key) before the target is asked anything.
     */
    private Result restoreMasked(Engine engine, DatabaseTarget target, ObjectStore store, SnapshotEntry entry,
                                 Request request, TransferListener listener) {
        MaskedRestore masked = maskable(engine);
        Path dump = new SnapshotReader(store, identities).fetchVerified(entry, scratchDir, listener);
        try {
            MaskPlan plan = request.masking().bind(masked.maskTables(dump), masked.maskDialect());
            engine.checkFits(target, dump);
            Result prepared = prepare(engine, target, store, entry, request);
            try {
                masked.restoreMasked(runner, target, dump, request.options(), plan);
            } catch (TargetRefusedException refused) {
                throw refused;
            } catch (RuntimeException e) {
                throw new RestoreFailedException(e.getMessage(), e);
            }
            return new Result(prepared.preRestoreSnapshot(), prepared.createdTarget(), prepared.targetHeldNothing(),
                    plan.describe());
        } finally {
            SnapshotReader.deleteScratch(dump);
        }
    }

    private static MaskedRestore maskable(Engine engine) {
        if (engine instanceof MaskedRestore masked) {
            return masked;
        }
        throw new TargetRefusedException("masking rewrites rows of PostgreSQL and MySQL/MariaDB dumps; a " + engine.name()
                + " snapshot is restored whole: leave out the masking rules");
    }

    /**
     * Streams the snapshot into a target that restores in one transaction: the snapshot's end reaches it
     * only once every stored byte matched, so a damaged snapshot stops the restore before its commit. A
     * pre-restore snapshot is only taken of a restore that can happen: the object is verified first then.
     */
    private Result restoreStreamed(Engine engine, StreamedRestore streamed, DatabaseTarget target, ObjectStore store,
                                   SnapshotEntry entry, Request request, TransferListener listener) {
        SnapshotReader reader = new SnapshotReader(store, identities);
        // opened first: a missing or unreadable object fails before a database is made for it
        StreamedDump opened = reader.stream(entry, listener);
        Result prepared;
        try {
            prepared = prepare(engine, target, store, entry, request, () -> reader.verify(entry, TransferListener.NONE));
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        if (prepared.preRestoreSnapshot().isPresent()) {
            // its connection sat idle through the verification and the safety snapshot
            opened.close();
            opened = reader.stream(entry, listener);
        }
        try (StreamedDump dump = opened) {
            try {
                streamed.restore(runner, target, dump, request.options());
            } catch (RuntimeException e) {
                if (dump.sourceFailure().isEmpty()) {
                    if (e instanceof TargetRefusedException) {
                        throw e;
                    }
                    throw new RestoreFailedException(e.getMessage(), e);
                }
                throw stoppedBeforeCommit(dump.sourceFailure().get(), streamed, target, prepared);
            }
        }
        return prepared;
    }

    /** The snapshot failed while fed: the restore never committed; a database made for it is dropped again. */
    private DbsnapException stoppedBeforeCommit(DbsnapException failure, StreamedRestore streamed, DatabaseTarget target,
                                                Result result) {
        String outcome = " (the restore was stopped before it could commit, so " + target + " is as it was";
        if (result.createdTarget()) {
            try {
                streamed.dropCreatedTarget(runner, target);
                outcome += "; the database created for it was dropped again";
            } catch (RuntimeException e) {
                outcome += ", but the empty database created for it could not be dropped: " + e.getMessage();
            }
        }
        String message = failure.getMessage() + outcome + ")";
        if (failure instanceof ChecksumMismatchException) {
            return new ChecksumMismatchException(message.substring(ChecksumMismatchException.REASON.length() + 2));
        }
        if (failure instanceof DecryptionException) {
            return new DecryptionException(message, failure);
        }
        return new DbsnapException(message, failure);
    }

    private Result prepare(Engine engine, DatabaseTarget target, ObjectStore store, SnapshotEntry entry,
                             Request request) {
        return prepare(engine, target, store, entry, request, () -> {
        });
    }

    /**
     * Asks the target whether it exists, takes the pre-restore snapshot (after {@code beforeBackup}),
     * and creates the target when missing: everything a restore does before it writes.
     */
    private Result prepare(Engine engine, DatabaseTarget target, ObjectStore store, SnapshotEntry entry,
                             Request request, Runnable beforeBackup) {
        boolean exists = engine.targetExists(runner, target);
        boolean heldNothing = exists && request.backupFirst() && engine.holdsNothing(runner, target);
        Optional<Manifest> backup = Optional.empty();
        if (exists && request.backupFirst() && !heldNothing) {
            beforeBackup.run();
            backup = Optional.of(writer.take(engine, target, request.backupStore() != null ? request.backupStore() : store,
                    SnapshotRequest.named(SnapshotEntry.PRE_RESTORE_TAG).withTag(SnapshotEntry.PRE_RESTORE_TAG)
                            .withNote("taken by dbsnap before restoring " + entry.id())
                            .withTransform(safetyEncryption()),
                    TransferListener.NONE));
        }
        if (!exists) {
            engine.createTarget(runner, target);
        }
        return new Result(backup, !exists, heldNothing);
    }

    /**
     * A dry run: downloads and verifies every byte as a restore does, asks the target what it holds,
     * and returns what the restore would replace; nothing is changed anywhere.
     */
    public List<String> plan(Engine engine, DatabaseTarget target, ObjectStore store, SnapshotEntry entry,
                             TransferListener listener) {
        return plan(engine, target, store, entry, null, listener);
    }

    /** A dry run that also binds the masking rules (when given) and lists what each masks. */
    public List<String> plan(Engine engine, DatabaseTarget target, ObjectStore store, SnapshotEntry entry,
                             Masking masking, TransferListener listener) {
        checkEngine(engine, target, entry);
        if (masking != null) {
            MaskedRestore masked = maskable(engine);
            Path dump = new SnapshotReader(store, identities).fetchVerified(entry, scratchDir, listener);
            try {
                MaskPlan plan = masking.bind(masked.maskTables(dump), masked.maskDialect());
                List<String> steps = new java.util.ArrayList<>(engine.plan(runner, target, dump));
                steps.addAll(plan.describe());
                return steps;
            } finally {
                SnapshotReader.deleteScratch(dump);
            }
        }
        if (engine instanceof StreamedRestore streamed) {
            try (StreamedDump dump = new SnapshotReader(store, identities).stream(entry, listener)) {
                return streamed.plan(runner, target, dump);
            }
        }
        Path dump = new SnapshotReader(store, identities).fetchVerified(entry, scratchDir, listener);
        try {
            return engine.plan(runner, target, dump);
        } finally {
            SnapshotReader.deleteScratch(dump);
        }
    }

    /**
     * The safety snapshot is encrypted to the recipients of the identities the restore was given: the
     * restorer can read it back, and no key a manifest names (the manifest is not covered by the data's
     * checksum, so whoever can write the bucket could add one) ever can.
     */
    private StoredTransform safetyEncryption() {
        return identities.isEmpty() ? StoredTransform.NONE : AgeEncryption.to(identities.recipients());
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
