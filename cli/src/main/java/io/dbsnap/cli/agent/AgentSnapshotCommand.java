package io.dbsnap.cli.agent;

import io.dbsnap.api.job.AgentSnapshotArgs;
import io.dbsnap.api.job.FailureReason;
import io.dbsnap.api.job.SnapshotJobResult;
import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.api.storage.SnapshotLayout;
import io.dbsnap.cli.CliContext;
import io.dbsnap.cli.KubernetesClients;
import io.dbsnap.cli.StoreOptions;
import io.dbsnap.core.pipeline.Compression;
import io.dbsnap.core.pipeline.SnapshotRequest;
import io.dbsnap.core.pipeline.SnapshotWriter;
import io.dbsnap.core.pipeline.TransferListener;
import io.dbsnap.core.store.ObjectStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

/**
 * One snapshot of a database in a pod, as a Job runs it: find the pod, exec the engine's dump in it
 * through the Kubernetes API, stream it into the store, and leave the result (or the reason it
 * failed) in the termination message, where the operator reads it.
 */
@Command(name = AgentSnapshotArgs.SUBCOMMAND, mixinStandardHelpOptions = true,
        description = "Snapshot a database in a pod into the store; report in the termination message.")
public final class AgentSnapshotCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    PodDatabaseOptions source;

    @Option(names = AgentSnapshotArgs.NAME, required = true, paramLabel = "NAME", description = "the snapshot's name, the end of its id")
    String name;

    @Option(names = AgentSnapshotArgs.COMPRESS, paramLabel = "ALGO", defaultValue = "zstd", description = "zstd, gzip or none")
    String compression;

    @Option(names = AgentSnapshotArgs.TAG, paramLabel = "TAG")
    String tag;

    @Option(names = AgentSnapshotArgs.NOTE, paramLabel = "TEXT")
    String note;

    @Mixin
    io.dbsnap.cli.EncryptionOptions encryption = new io.dbsnap.cli.EncryptionOptions();

    @Mixin
    TerminationLogOption terminationLog;

    @Mixin
    StoreOptions storeOptions;

    public AgentSnapshotCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        return AgentRun.run(context, terminationLog.path, this::snapshot, SnapshotJobResult::failure,
                FailureReason.SNAPSHOT_FAILED);
    }

    private SnapshotJobResult snapshot() {
        try (KubernetesClient client = KubernetesClients.open();
             ObjectStore store = storeOptions.open(context)) {
            PodDatabase db = PodDatabase.resolve(client, source, context.env());
            Compression algorithm = Compression.parse(compression);
            SnapshotRequest request = SnapshotRequest.named(name).withTag(tag).withNote(note)
                    .withCompression(algorithm, algorithm.defaultLevel(), SnapshotRequest.DEFAULT_WORKERS)
                    .withTransform(encryption.transform(context));
            PodExecRunner runner = new PodExecRunner(client, db.pod(), db.engine().podEnvironmentDefaults());
            Manifest manifest;
            try (JobProgressReporter progress = JobProgressReporter.onOwnJob(client, context.env(), context.err()::println)) {
                manifest = new SnapshotWriter(runner, Clock.systemUTC()).take(db.engine(), db.target(),
                        db.source(source.chosenBySelector()), store, request, progress);
            }
            SnapshotJobResult result = SnapshotJobResult.success(manifest.id(),
                    store.location(SnapshotLayout.snapshotPrefix(manifest)), manifest.size(), manifest.rawSize(),
                    "sha256:" + manifest.dataFile().sha256(), db.engine().name(), manifest.engineVersion(),
                    db.pod().namespace() + "/" + db.pod().name());
            return db.engine().caveat(manifest.engineVersion()).map(result::withMessage).orElse(result);
        }
    }
}
