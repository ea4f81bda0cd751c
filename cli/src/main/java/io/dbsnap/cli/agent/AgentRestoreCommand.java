package io.dbsnap.cli.agent;

import io.dbsnap.api.job.AgentRestoreArgs;
import io.dbsnap.api.job.FailureReason;
import io.dbsnap.api.job.JobProgress;
import io.dbsnap.api.job.RestoreJobResult;
import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.cli.CliContext;
import io.dbsnap.cli.KubernetesClients;
import io.dbsnap.cli.StoreOptions;
import io.dbsnap.core.catalog.SnapshotCatalog;
import io.dbsnap.core.catalog.SnapshotEntry;
import io.dbsnap.core.catalog.SnapshotNotFoundException;
import io.dbsnap.core.catalog.UnreadableManifestException;
import io.dbsnap.core.engine.RestoreOptions;
import io.dbsnap.core.engine.TargetRefusedException;
import io.dbsnap.core.crypto.AgeIdentities;
import io.dbsnap.core.crypto.DecryptionException;
import io.dbsnap.core.pipeline.ChecksumMismatchException;
import io.dbsnap.core.pipeline.RestoreFailedException;
import io.dbsnap.core.pipeline.SnapshotRestorer;
import io.dbsnap.core.pipeline.SnapshotWriter;
import io.dbsnap.core.pipeline.TransferListener;
import io.dbsnap.core.process.ProcessFailedException;
import io.dbsnap.core.store.ObjectStore;
import io.dbsnap.core.store.StoreException;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * One restore into a database in a pod, as a Job runs it: read the snapshot's manifest, check the
 * target can be reached and can take it, and stream the snapshot into the target's own client
 * through exec, verified as {@link SnapshotRestorer} does (PostgreSQL as it downloads, its commit
 * held back until every byte matched; the others into the Job's scratch space first). A dry run
 * verifies every byte and reports what would be replaced. The result says whether the target was touched.
 */
@Command(name = AgentRestoreArgs.SUBCOMMAND, mixinStandardHelpOptions = true,
        description = "Restore a verified snapshot into a database in a pod; report in the termination message.")
public final class AgentRestoreCommand implements Callable<Integer> {

    /** How often a restore Job's progress reaches its annotation: often enough to watch, rare enough for the API server. */

    /** Keeps the termination message (4096 bytes) clear of an identity Secret holding many keys. */
    private static final int MAX_REPORTED_RECIPIENTS = 8;

    private final CliContext context;

    @Mixin
    PodDatabaseOptions target;

    @Option(names = AgentRestoreArgs.SNAPSHOT, required = true, paramLabel = "NS/SOURCE/ID/",
            description = "the snapshot's folder in the store")
    String snapshot;

    @Option(names = AgentRestoreArgs.SHA256, paramLabel = "HEX", description = "the SHA-256 the stored object must have")
    String sha256;

    @Option(names = AgentRestoreArgs.DRY_RUN, description = "verify and plan; change nothing")
    boolean dryRun;

    /** The identity comes from $DBSNAP_AGE_IDENTITY, which the Job fills from spec.decryption's secretKeyRef. */
    @Mixin
    io.dbsnap.cli.IdentityOptions identity = new io.dbsnap.cli.IdentityOptions();

    @Mixin
    TerminationLogOption terminationLog;

    @Mixin
    StoreOptions storeOptions;

    public AgentRestoreCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        return AgentRun.run(context, terminationLog.path, this::restore, this::failed);
    }

    private RestoreJobResult restore() {
        try (KubernetesClient client = KubernetesClients.open();
             ObjectStore store = storeOptions.open(context)) {
            SnapshotEntry entry = SnapshotCatalog.at(store, snapshot);
            Manifest manifest = entry.manifest();
            PodDatabase named = PodDatabase.resolve(client, target, context.env()).orDatabase(manifest.source().database());
            if (sha256 != null && !expected(sha256).equals(manifest.dataFile().sha256())) {
                throw new AgentFailure(FailureReason.CHECKSUM_MISMATCH, "the manifest at " + store.location(snapshot)
                        + " gives sha256:" + manifest.dataFile().sha256() + ", not the " + sha256 + " the restore "
                        + "names: it is not the snapshot meant; nothing was touched");
            }
            PodExecRunner runner = new PodExecRunner(client, named.pod(), named.engine().podEnvironmentDefaults());
            PodDatabase db = named.orDatabase(podDefaultDatabase(runner, named));
            String targetVersion = reach(runner, db);
            AgeIdentities identities = identity.identities(context);
            // the recipients of the identities given, not the manifest's: the safety snapshot is encrypted to them
            List<String> recipients = identities.isEmpty() ? null
                    : identities.recipients().stream().distinct().limit(MAX_REPORTED_RECIPIENTS).toList();
            SnapshotRestorer restorer = new SnapshotRestorer(runner, new SnapshotWriter(runner, Clock.systemUTC()),
                    Path.of(System.getProperty("java.io.tmpdir")), identities);
            String location = store.location(snapshot);
            String checksum = "sha256:" + manifest.dataFile().sha256();
            if (dryRun) {
                List<String> plan = restorer.plan(db.engine(), db.target(), store, entry, TransferListener.NONE);
                boolean nothingToKeep = targetVersion == null || db.engine().holdsNothing(runner, db.target());
                return new RestoreJobResult(true, null, null, manifest.id(), location, checksum, manifest.engine(),
                        manifest.engineVersion(), manifest.createdAt().toString(), targetVersion, 0L,
                        manifest.rawSize(), false, false, nothingToKeep, db.database(), RestoreJobResult.fitted(plan),
                        recipients);
            }
            SnapshotRestorer.Result result;
            try (JobProgressReporter progress = JobProgressReporter.onOwnJob(client, context.env(), context.err()::println)) {
                result = restorer.restore(db.engine(), db.target(), store, entry,
                        new SnapshotRestorer.Request(false, new RestoreOptions(false, 1)), progress);
            }
            return new RestoreJobResult(true, null, null, manifest.id(), location, checksum, manifest.engine(),
                    manifest.engineVersion(), manifest.createdAt().toString(), targetVersion, manifest.rawSize(),
                    manifest.rawSize(), result.createdTarget(), true, null, db.database(), null, recipients);
        }
    }

    /**
     * The database the pod's tools use when none is named (its image's POSTGRES_DB, MARIADB_DATABASE):
     * asked only when neither the restore nor the snapshot names one.
     */
    private static String podDefaultDatabase(PodExecRunner runner, PodDatabase db) {
        String variable = db.engine().podDatabaseVariable();
        if (db.database() != null || variable == null) {
            return null;
        }
        String name = runner.run(io.dbsnap.core.process.Command.script("default-database",
                "printf '%s' \"${" + variable + ":-}\"", List.of(), java.util.Map.of(), java.util.Set.of()),
                "reading the pod's default database").strip();
        return name.isEmpty() ? null : name;
    }

    /**
     * The target's server version (null for a database still to be created), through its pod with its
     * credentials; a failure changes nothing.
     */
    private static String reach(PodExecRunner runner, PodDatabase db) {
        try {
            return db.engine().targetExists(runner, db.target()) ? db.engine().serverVersion(runner, db.target()) : null;
        } catch (ProcessFailedException e) {
            throw new AgentFailure(FailureReason.TARGET_UNREACHABLE, "cannot reach the target database in pod "
                    + db.pod() + ": " + e.getMessage() + "; nothing was changed");
        }
    }

    private static String expected(String sha256) {
        String hex = sha256.toLowerCase(Locale.ROOT);
        return hex.startsWith("sha256:") ? hex.substring("sha256:".length()) : hex;
    }

    /** Why it failed, and whether the target had been touched by then. */
    private RestoreJobResult failed(RuntimeException e) {
        String message = AgentRun.messageOf(context, e);
        if (e instanceof RestoreFailedException) {
            return RestoreJobResult.failure(FailureReason.RESTORE_FAILED, message, true);
        }
        String reason = e instanceof AgentFailure named ? named.reason()
                : e instanceof ChecksumMismatchException ? FailureReason.CHECKSUM_MISMATCH
                : e instanceof DecryptionException ? FailureReason.DECRYPTION_FAILED
                : e instanceof TargetRefusedException ? FailureReason.TARGET_INCOMPATIBLE
                : e instanceof SnapshotRestorer.EngineMismatchException ? FailureReason.ENGINE_MISMATCH
                : e instanceof SnapshotNotFoundException ? FailureReason.SNAPSHOT_NOT_FOUND
                : e instanceof UnreadableManifestException ? FailureReason.MANIFEST_UNREADABLE
                : e instanceof StoreException ? FailureReason.STORAGE_FAILED
                : FailureReason.VERIFY_FAILED;
        if (e instanceof DecryptionException) {
            message = message.replace("with --identity FILE (or DBSNAP_AGE_IDENTITY)", "in spec.decryption.identitySecret");
        }
        // the reason is its own field: a message that begins with it would say it twice
        return RestoreJobResult.failure(reason, message.startsWith(reason + ": ")
                ? message.substring(reason.length() + 2) : message, false);
    }
}
