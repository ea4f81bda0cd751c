package io.dbsnap.core.pipeline;

import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.api.manifest.ManifestCodec;
import io.dbsnap.api.manifest.ManifestFile;
import io.dbsnap.api.manifest.ManifestSource;
import io.dbsnap.api.storage.SnapshotLayout;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.DbsnapVersion;
import io.dbsnap.core.engine.Engine;
import io.dbsnap.core.engine.DumpEnds;
import io.dbsnap.core.process.Command;
import io.dbsnap.core.process.ProcessRunner;
import io.dbsnap.core.process.RunningProcess;
import io.dbsnap.core.process.ShutdownGuard;
import io.dbsnap.core.store.ObjectStore;
import io.dbsnap.core.store.ObjectWriter;
import io.dbsnap.core.database.DatabaseTarget;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Takes a snapshot: engine dump -> count -> compress -> SHA-256 -> store, then the manifest, last.
 * Memory is one copy buffer plus the store's bounded part buffers, whatever the database's size.
 * The data object is committed only after the dump exited 0 and its stream ended; anything else
 * aborts it, and without a manifest nothing of a failed run is ever listed.
 */
public final class SnapshotWriter {

    static final int COPY_BUFFER = 256 * 1024;

    private final ProcessRunner runner;
    private final Clock clock;

    public SnapshotWriter(ProcessRunner runner, Clock clock) {
        this.runner = runner;
        this.clock = clock;
    }

    /** Takes one snapshot of {@code target} with {@code engine}, as {@link io.dbsnap.core.engine.Engines#forTarget} chose and checked it. */
    public Manifest take(Engine engine, DatabaseTarget target, ObjectStore store, SnapshotRequest request,
                         TransferListener listener) {
        ManifestSource source = engine.source(target);
        if (request.sourceName().isPresent()) {
            source = source.withName(SnapshotLayout.sourceSegment(request.sourceName().get()));
        }
        return take(engine, target, source, store, request, listener);
    }

    /** Takes one snapshot recorded under {@code source}: a pod's namespace and name rather than a host. */
    public Manifest take(Engine engine, DatabaseTarget target, ManifestSource source, ObjectStore store,
                         SnapshotRequest request, TransferListener listener) {
        store.checkAccess();
        String engineVersion = engine.serverVersion(runner, target);

        Instant createdAt = clock.instant();
        String id = freeId(store, source, SnapshotLayout.snapshotId(createdAt, request.name()));
        String prefix = SnapshotLayout.snapshotPrefix(source.namespace(), source.name(), id);
        String fileName = SnapshotLayout.dataFileName(engine.dataFileName(target), request.compression().extension())
                + request.transform().extension();
        String dataKey = prefix + fileName;

        listener.started("snapshot " + id, -1);
        StreamResult result = stream(engine, engine.dumpCommand(target), store, dataKey, request, listener);
        listener.finished();

        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, id, engine.name(), engineVersion, source,
                createdAt, clock.instant(), request.tag(), request.note(), DbsnapVersion.VERSION,
                request.compression().id(), request.transform().id(), request.transform().recipients(),
                List.of(new ManifestFile(fileName, result.size(), result.rawSize(), result.sha256())));
        String manifestKey = SnapshotLayout.manifestKey(prefix);
        byte[] manifestJson = ManifestCodec.toJson(manifest);
        try {
            ManifestPublisher.publish(store, manifestKey, manifestJson);
        } catch (RuntimeException e) {
            // the data is this run's (its write was create-only); the manifest there may be this run's,
            // landed although its answer was lost, or another run's, which is left alone. The data goes
            // only once no manifest of this run can point at it.
            if (ManifestPublisher.withdraw(store, manifestKey, manifestJson, e)) {
                deleteQuietly(store, dataKey, e);
            }
            throw e;
        }
        return manifest;
    }

    /** A second snapshot of the same name in the same second gets a suffix instead of overwriting the first. */
    private static String freeId(ObjectStore store, ManifestSource source, String id) {
        String candidate = id;
        for (int n = 2; !store.list(SnapshotLayout.snapshotPrefix(source.namespace(), source.name(), candidate))
                .isEmpty(); n++) {
            candidate = id + "-" + n;
        }
        return candidate;
    }

    /**
     * Streams one command's stdout into one stored object; commits only a complete, successful stream.
     * Where the runner's transport can lose bytes (a pod exec), the dump is counted and hashed at the
     * source too, and what arrived must be exactly that.
     */
    StreamResult stream(Engine engine, Command dump, ObjectStore store, String key, SnapshotRequest request,
                        TransferListener listener) {
        boolean checkAtSource = runner.transportCanLoseBytes();
        SourceDigest.Checked checked = checkAtSource ? SourceDigest.start(runner, dump) : null;
        RunningProcess process = checked != null ? checked : runner.start(dump);
        ObjectWriter writer = null;
        Throwable failure = null;
        ShutdownGuard guard = null;
        try {
            writer = store.create(key);
            guard = ShutdownGuard.register(writer::abort);
            process.stdin().close();
            DigestingOutputStream stored = new DigestingOutputStream(writer);
            // hashing what arrived costs CPU; it is done only where there is a source digest to compare with
            DigestingInputStream arrived = checkAtSource ? new DigestingInputStream(process.stdout()) : null;
            InputStream in = checkAtSource ? arrived : process.stdout();
            DumpEnds.Recorder ends = new DumpEnds.Recorder();
            long streamed = 0;
            try (OutputStream compressed = request.compression().compress(request.transform().toStore(stored),
                    request.level(), request.workers())) {
                // what reaches the store, less an end marker the tool may have written after the dump
                HeldTail dumped = new HeldTail(engine.dumpTrailerLimit(), (buffer, offset, length) -> {
                    compressed.write(buffer, offset, length);
                    ends.update(buffer, offset, length);
                });
                byte[] buffer = new byte[COPY_BUFFER];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    dumped.write(buffer, 0, n);
                    streamed += n;
                    listener.progressed(streamed);
                }
                process.awaitSuccess(dump.program());
                if (checkAtSource) {
                    checked.verify(streamed, arrived.sha256Hex());
                }
                dumped.finish(dumpTrailer(engine, streamed, dumped.held(), process));
            }
            DumpEnds dumpEnds = ends.ends();
            if (dumpEnds.size() == 0) {
                throw new DbsnapException(dump.program() + " exited 0 but wrote nothing; refusing an empty snapshot");
            }
            engine.checkDump(dumpEnds);
            writer.commit();
            return new StreamResult(stored.count(), dumpEnds.size(), stored.sha256Hex());
        } catch (IOException e) {
            DbsnapException streamingFailed = new DbsnapException("snapshot failed while streaming " + dump.program()
                    + " to " + store.location(key) + ": " + e.getMessage() + processHint(process), e);
            failure = streamingFailed;
            throw streamingFailed;
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            process.close();
            if (writer != null) {
                abortQuietly(writer, failure);
            }
            if (guard != null) {
                guard.close();
            }
        }
    }

    /** The engine reads the tool's report as the tool wrote it; a refusal shows the report's end scrubbed. */
    private static int dumpTrailer(Engine engine, long streamed, byte[] held, RunningProcess process) {
        try {
            return engine.dumpTrailer(streamed, held, process.unscrubbedStderrTail());
        } catch (DumpIncompleteException e) {
            throw new DumpIncompleteException(e.getMessage() + processHint(process));
        }
    }

    /** The dump's last word on stderr, if it said anything: often the reason its stream ended. */
    private static String processHint(RunningProcess process) {
        String stderr = process.stderrTail().strip();
        return stderr.isEmpty() ? "" : " (" + stderr.lines().reduce((a, b) -> b).orElse("") + ")";
    }

    private static void abortQuietly(ObjectWriter writer, Throwable failure) {
        try {
            writer.close();
        } catch (RuntimeException abortFailure) {
            if (failure != null) {
                failure.addSuppressed(abortFailure);
            } else {
                throw abortFailure;
            }
        }
    }

    private static boolean deleteQuietly(ObjectStore store, String key, Exception cause) {
        try {
            store.delete(key);
            return true;
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            return false;
        }
    }
}
