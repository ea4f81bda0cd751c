package io.dbsnap.cli;

import io.dbsnap.api.job.AgentSnapshotArgs;
import io.dbsnap.api.job.FailureReason;
import io.dbsnap.api.job.SnapshotJobResult;
import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.api.manifest.ManifestSource;
import io.dbsnap.api.storage.SnapshotLayout;
import io.dbsnap.cli.kube.AgentFailure;
import io.dbsnap.cli.kube.PodExecRunner;
import io.dbsnap.cli.kube.PodResolver;
import io.dbsnap.cli.kube.ResolvedPod;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.engine.Engine;
import io.dbsnap.core.engine.Engines;
import io.dbsnap.core.engine.SqliteEngine;
import io.dbsnap.core.pipeline.Compression;
import io.dbsnap.core.pipeline.DumpIncompleteException;
import io.dbsnap.core.pipeline.SnapshotRequest;
import io.dbsnap.core.pipeline.SnapshotWriter;
import io.dbsnap.core.pipeline.TransferListener;
import io.dbsnap.core.process.ProcessFailedException;
import io.dbsnap.core.store.ObjectStore;
import io.dbsnap.core.store.StoreException;
import io.dbsnap.core.database.DatabaseTarget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * One snapshot of a database in a pod, as a Job runs it: find the pod, exec the engine's dump in it
 * through the Kubernetes API, stream it into the store, and leave the result (or the reason it
 * failed) in the termination message, where the operator reads it.
 */
@Command(name = AgentSnapshotArgs.SUBCOMMAND, mixinStandardHelpOptions = true,
        description = "Snapshot a database in a pod into the store; report in the termination message.")
final class AgentSnapshotCommand implements Callable<Integer> {

    /** Database credentials, from the DatabaseSnapshot's credentialsSecret through secretKeyRef. */
    static final String DB_USERNAME_ENV = AgentSnapshotArgs.DB_USERNAME_ENV;
    static final String DB_PASSWORD_ENV = AgentSnapshotArgs.DB_PASSWORD_ENV;
    static final String TERMINATION_LOG_ENV = "DBSNAP_TERMINATION_LOG";

    private final CliContext context;

    @Option(names = AgentSnapshotArgs.NAMESPACE, required = true, paramLabel = "NS", description = "the database pod's namespace")
    String namespace;

    @Option(names = AgentSnapshotArgs.POD, paramLabel = "NAME", description = "the database pod's name")
    String podName;

    /** With --pod too: the pod the operator chose by this selector, read by name and filed under its workload. */
    @Option(names = AgentSnapshotArgs.SELECTOR, paramLabel = "SELECTOR", description = "a label selector (app=orders,role=primary)")
    String selector;

    @Option(names = AgentSnapshotArgs.CONTAINER, paramLabel = "NAME", description = "the container (default: the database's)")
    String container;

    @Option(names = AgentSnapshotArgs.ENGINE, paramLabel = "ENGINE", description = "postgresql, ... (default: from the image)")
    String engineName;

    @Option(names = AgentSnapshotArgs.DATABASE, paramLabel = "DB", description = "the database (default: from the pod's environment)")
    String database;

    @Option(names = AgentSnapshotArgs.PATH, paramLabel = "FILE", description = "the database file in the pod (sqlite)")
    String path;

    @Option(names = AgentSnapshotArgs.ALLOW_PLAIN_COPY, description = "sqlite: copy the file as it is where there is no sqlite3")
    boolean allowPlainCopy;

    @Option(names = AgentSnapshotArgs.NAME, required = true, paramLabel = "NAME", description = "the snapshot's name, the end of its id")
    String name;

    @Option(names = AgentSnapshotArgs.COMPRESS, paramLabel = "ALGO", defaultValue = "zstd", description = "zstd, gzip or none")
    String compression;

    @Option(names = AgentSnapshotArgs.TAG, paramLabel = "TAG")
    String tag;

    @Option(names = AgentSnapshotArgs.NOTE, paramLabel = "TEXT")
    String note;

    @Option(names = "--termination-log", paramLabel = "FILE",
            description = "where the result goes (default: $" + TERMINATION_LOG_ENV + ", else /dev/termination-log)")
    Path terminationLog;

    @Mixin
    StoreOptions storeOptions;

    AgentSnapshotCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        SnapshotJobResult result;
        try {
            result = snapshot();
        } catch (AgentFailure e) {
            result = SnapshotJobResult.failure(e.reason(), context.scrub(e.getMessage()));
        } catch (StoreException e) {
            result = SnapshotJobResult.failure(FailureReason.STORAGE_FAILED, context.scrub(e.getMessage()));
        } catch (ProcessFailedException | DumpIncompleteException e) {
            result = SnapshotJobResult.failure(FailureReason.DUMP_FAILED, context.scrub(e.getMessage()));
        } catch (DbsnapException | KubernetesClientException e) {
            result = SnapshotJobResult.failure(FailureReason.SNAPSHOT_FAILED, context.scrub(e.getMessage()));
        } catch (RuntimeException e) {
            result = SnapshotJobResult.failure(FailureReason.SNAPSHOT_FAILED, "unexpected error: "
                    + context.scrub(String.valueOf(e)));
        }
        report(result);
        return result.succeeded() ? 0 : 1;
    }

    private SnapshotJobResult snapshot() {
        try (KubernetesClient client = new KubernetesClientBuilder().build();
             ObjectStore store = storeOptions.open(context)) {
            PodResolver resolver = new PodResolver(client);
            if (podName == null && selector == null) {
                throw new AgentFailure(FailureReason.INVALID_SPEC, "name the database pod: --pod or --selector");
            }
            ResolvedPod resolved = podName == null ? resolver.bySelector(namespace, selector, container)
                    : selector == null ? resolver.byName(namespace, podName, container)
                    : resolver.chosenBy(namespace, podName, selector, container);
            Engine engine = engine(resolved);
            // a SQLite database is its file
            String database = this.path != null ? this.path : this.database;
            if (engine.name().equals("sqlite") && this.path == null) {
                throw new AgentFailure(FailureReason.INVALID_SPEC, "a sqlite source needs spec.source.path, "
                        + "the database file in the pod");
            }
            String user = context.env().get(DB_USERNAME_ENV);
            String password = context.env().get(DB_PASSWORD_ENV);
            DatabaseTarget target = new DatabaseTarget(engine.name(), blankToNull(user), blankToNull(password), null,
                    null, database, allowPlainCopy ? Map.of(SqliteEngine.ALLOW_PLAIN_COPY, "true") : Map.of(), "pod://" + resolved.namespace() + "/" + resolved.name() + "/"
                    + resolved.container());
            // the pod's (or workload's) folder, as before; its databases are told apart by the manifest
            ManifestSource source = new ManifestSource(resolved.namespace(),
                    SnapshotLayout.sourceSegment(resolved.sourceName(selector != null)), resolved.name(), resolved.container(),
                    null, null, database);
            Compression algorithm = Compression.parse(compression);
            SnapshotRequest request = SnapshotRequest.named(name).withTag(tag).withNote(note)
                    .withCompression(algorithm, algorithm.defaultLevel(), SnapshotRequest.DEFAULT_WORKERS);
            PodExecRunner runner = new PodExecRunner(client, resolved, engine.podEnvironmentDefaults());
            Manifest manifest = new SnapshotWriter(runner, Clock.systemUTC())
                    .take(engine, target, source, store, request, TransferListener.NONE);
            SnapshotJobResult result = SnapshotJobResult.success(manifest.id(),
                    store.location(SnapshotLayout.snapshotPrefix(manifest)), manifest.size(), manifest.rawSize(),
                    "sha256:" + manifest.dataFile().sha256(), engine.name(), manifest.engineVersion(),
                    resolved.namespace() + "/" + resolved.name());
            return engine.caveat(manifest.engineVersion()).map(result::withMessage).orElse(result);
        }
    }

    private Engine engine(ResolvedPod resolved) {
        if (engineName != null) {
            try {
                return Engines.forName(engineName);
            } catch (DbsnapException e) {
                throw new AgentFailure(FailureReason.ENGINE_UNKNOWN, e.getMessage());
            }
        }
        return Engines.forImage(resolved.image()).orElseThrow(() -> new AgentFailure(
                FailureReason.ENGINE_UNKNOWN, "cannot tell the engine from image '" + resolved.image()
                + "' of container " + resolved.container() + ": set spec.source.engine (" + Engines.names() + ")"));
    }

    /** The result as the termination message and as one line on stdout (kubectl logs shows it). */
    private void report(SnapshotJobResult result) {
        String json = result.toJson();
        Path log = terminationLog != null ? terminationLog
                : Path.of(context.env().getOrDefault(TERMINATION_LOG_ENV, "/dev/termination-log"));
        try {
            Files.writeString(log, json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            context.err().println("dbsnap: warning: could not write the termination message to " + log + ": "
                    + e.getMessage());
        }
        if (result.succeeded()) {
            context.out().println(json);
        } else {
            context.err().println("dbsnap: " + result.reason() + ": " + result.message());
            context.err().println(json);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
