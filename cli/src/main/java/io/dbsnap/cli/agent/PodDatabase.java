package io.dbsnap.cli.agent;

import io.dbsnap.api.job.FailureReason;
import io.dbsnap.api.manifest.ManifestSource;
import io.dbsnap.api.storage.SnapshotLayout;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.database.DatabaseTarget;
import io.dbsnap.core.engine.Engine;
import io.dbsnap.core.engine.Engines;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Map;

/**
 * The database an agent command works on, resolved: the pod (checked Ready, and matching the
 * selector it was chosen by), its engine (named, or told by the image), and the target the engine
 * reads, with the credentials from the environment. Every check fails with the reason the
 * resource's status will show.
 */
public record PodDatabase(ResolvedPod pod, Engine engine, DatabaseTarget target, String database) {

    /** Database credentials, from the resource's credentialsSecret through secretKeyRef. */
    public static final String DB_USERNAME_ENV = io.dbsnap.api.job.AgentPodArgs.DB_USERNAME_ENV;
    public static final String DB_PASSWORD_ENV = io.dbsnap.api.job.AgentPodArgs.DB_PASSWORD_ENV;

    public static PodDatabase resolve(KubernetesClient client, PodDatabaseOptions options, Map<String, String> env) {
        if (options.podName == null && options.selector == null) {
            throw new AgentFailure(FailureReason.INVALID_SPEC, "name the database pod: --pod or --selector");
        }
        PodResolver resolver = new PodResolver(client);
        ResolvedPod pod = options.podName == null ? resolver.bySelector(options.namespace, options.selector, options.container)
                : options.selector == null ? resolver.byName(options.namespace, options.podName, options.container)
                : resolver.chosenBy(options.namespace, options.podName, options.selector, options.container);
        Engine engine = engine(options.engineName, pod);
        // a file engine's database is its file (a path given to a server engine is taken as its database, as
        // before, so the dump fails clearly instead of quietly choosing the pod's default database)
        String database = options.path != null ? options.path : options.database;
        if (engine.targetKind() == Engine.TargetKind.FILE && options.path == null) {
            throw new AgentFailure(FailureReason.INVALID_SPEC, "a " + engine.name() + " source needs spec.source.path, "
                    + "the database file in the pod");
        }
        DatabaseTarget target = new DatabaseTarget(engine.name(), blankToNull(env.get(DB_USERNAME_ENV)),
                blankToNull(env.get(DB_PASSWORD_ENV)), null, null, database,
                options.allowPlainCopy ? Map.of(DatabaseTarget.ALLOW_PLAIN_COPY, "true") : Map.of(),
                "pod://" + pod.namespace() + "/" + pod.name() + "/" + pod.container());
        return new PodDatabase(pod, engine, target, database);
    }

    /**
     * The same database, or, when none was named, {@code fallback}: a restore into a pod that names no
     * database goes into the one the snapshot was taken of, not whichever the pod's environment names.
     */
    public PodDatabase orDatabase(String fallback) {
        if (database != null || fallback == null || engine.targetKind() == Engine.TargetKind.FILE) {
            return this;
        }
        return new PodDatabase(pod, engine, new DatabaseTarget(target.scheme(), target.user(), target.password(),
                target.host(), target.port(), fallback, target.params(), target.toString()), fallback);
    }

    /** Where snapshots of it are filed: the pod's (or its workload's) folder; its databases are told apart by the manifest. */
    public ManifestSource source(boolean chosenBySelector) {
        return new ManifestSource(pod.namespace(), SnapshotLayout.sourceSegment(pod.sourceName(chosenBySelector)),
                pod.name(), pod.container(), null, null, database);
    }

    private static Engine engine(String name, ResolvedPod pod) {
        if (name != null) {
            try {
                return Engines.forName(name);
            } catch (DbsnapException e) {
                throw new AgentFailure(FailureReason.ENGINE_UNKNOWN, e.getMessage());
            }
        }
        return Engines.forImage(pod.image()).orElseThrow(() -> new AgentFailure(
                FailureReason.ENGINE_UNKNOWN, "cannot tell the engine from image '" + pod.image()
                + "' of container " + pod.container() + ": set spec.source.engine (" + Engines.names() + ")"));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
