package io.dbsnap.operator;

import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotStatus;
import io.dbsnap.core.testing.MariaDbSampleData;
import io.dbsnap.core.testing.MariaDbServer;
import io.dbsnap.core.testing.RedisSampleData;
import io.dbsnap.core.testing.RedisServer;
import io.dbsnap.core.testing.SqliteDatabase;
import io.dbsnap.sandbox.Sandbox;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The end-to-end tests' databases in pods, each a real server with sample data shown to the sandbox
 * as the pod its image would run in, and what those tests share to explain a failure.
 */
final class EnginePods {

    private EnginePods() {
    }

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    /** Where the tests install the chart's ServiceAccount and Lease. */
    static final String OPERATOR_NS = "dbsnap-system";

    /**
     * The sandbox with the CRDs, namespace {@code namespace}, its S3 Secret {@code s3-creds} and the
     * PostgreSQL {@code pg} as pod {@code orders-db-0} (database orders, Secret orders-db); Jobs run
     * the packaged dbsnap.
     */
    static Sandbox cluster(Path work, String namespace, io.dbsnap.core.testing.PostgresServer pg) throws Exception {
        return cluster(work, namespace, pg, packagedDbsnap());
    }

    /**
     * A fresh {@code work} folder, database orders with sample data, {@code bucket} in S3, and {@link #cluster}
     * with each Job's {@code dbsnap} run as {@code dbsnapCommand}: what most end-to-end tests start from.
     */
    static Sandbox ordersCluster(Path work, String namespace, io.dbsnap.core.testing.PostgresServer pg,
                                 io.dbsnap.core.testing.S3Server s3, String bucket, java.util.List<String> dbsnapCommand)
            throws Exception {
        deleteRecursively(work);
        Files.createDirectories(work);
        pg.createDatabase("orders");
        io.dbsnap.core.testing.PgSampleData.load(pg, "orders");
        s3.createBucket(bucket);
        return cluster(work, namespace, pg, dbsnapCommand);
    }

    /** The packaged dbsnap, as Jobs run it in the sandbox. */
    static java.util.List<String> packagedDbsnap() {
        return java.util.List.of(java(), "-XX:+UseSerialGC", "-Xmx512m", "-jar", ROOT.resolve("cli/target/dbsnap.jar").toString());
    }

    /** The same, with each Job's {@code dbsnap} run as {@code dbsnapCommand}. */
    static Sandbox cluster(Path work, String namespace, io.dbsnap.core.testing.PostgresServer pg,
                           java.util.List<String> dbsnapCommand) throws Exception {
        Sandbox sandbox = Sandbox.start(work, 0, dbsnapCommand);
        sandbox.applyCrds(ROOT.resolve("crds"));
        sandbox.namespace(namespace);
        sandbox.secret(namespace, "s3-creds", Map.of("AWS_ACCESS_KEY_ID", io.dbsnap.core.testing.S3Server.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", io.dbsnap.core.testing.S3Server.SECRET_KEY));
        sandbox.secret(namespace, "orders-db", Map.of("password", pg.password()));
        sandbox.postgresPod(namespace, "orders-db-0", new Sandbox.PostgresPod("postgres:15", "orders", "127.0.0.1",
                pg.port(), "postgres", "orders", "orders-db"));
        return sandbox;
    }

    /** The packaged operator against the sandbox, its reconcilers' debug lines in {@code work/operator.log}. */
    static io.dbsnap.sandbox.OperatorProcess operator(Sandbox sandbox, Path work, Map<String, String> env)
            throws Exception {
        return operator(sandbox, work, env, ChartRelease.render(OPERATOR_NS, chartValues()));
    }

    /** The values the tests install the chart with: the agent image is the packaged dbsnap the sandbox runs. */
    static Map<String, Object> chartValues() {
        return Map.of("agent.image.repository", "dbsnap", "agent.image.tag", "it");
    }

    /**
     * The packaged operator as {@code release} installs it: the chart's ServiceAccount, RBAC (which the
     * sandbox enforces on every request the operator makes) and environment, then {@code env}.
     */
    static io.dbsnap.sandbox.OperatorProcess operator(Sandbox sandbox, Path work, Map<String, String> env,
                                                     ChartRelease release) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(release.operatorEnv());
        all.put("KUBERNETES_AUTH_TOKEN", release.installAccess(sandbox));
        // the reconciler's debug lines are the evidence that a reconcile ran
        all.put("QUARKUS_LOG_CATEGORY__IO_DBSNAP__LEVEL", "DEBUG");
        all.putAll(env);
        return io.dbsnap.sandbox.OperatorProcess.start(Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath(),
                sandbox.api().url(), all, work.resolve("operator.log")).awaitStarted(java.time.Duration.ofSeconds(90));
    }

    /** MariaDB with database {@code shop}, as pod {@code shop-mariadb-0} of the official image (Secret shop-mariadb). */
    static MariaDbServer mariadb(Sandbox sandbox, String namespace) throws Exception {
        MariaDbServer mariadb = MariaDbServer.start();
        mariadb.createDatabase("shop");
        MariaDbSampleData.load(mariadb, "shop");
        sandbox.secret(namespace, "shop-mariadb", Map.of("password", mariadb.password()));
        sandbox.databasePod(namespace, "shop-mariadb-0", new Sandbox.DatabasePod("mariadb:11.4", "mariadb", "mariadb",
                "shop", Map.of("MARIADB_USER", MariaDbServer.USER, "MARIADB_DATABASE", "shop", "MYSQL_HOST",
                "127.0.0.1", "MYSQL_TCP_PORT", String.valueOf(mariadb.port())),
                Map.of("MARIADB_PASSWORD", "shop-mariadb/password")));
        return mariadb;
    }

    /** Redis with sample keys, as pod {@code cache-0} the way Bitnami's image runs it (Secret cache). */
    static RedisServer redis(Sandbox sandbox, String namespace) throws Exception {
        RedisServer redis = RedisServer.start();
        RedisSampleData.load(redis);
        sandbox.secret(namespace, "cache", Map.of("redis-password", redis.password()));
        sandbox.databasePod(namespace, "cache-0", new Sandbox.DatabasePod("docker.io/bitnami/redis:7.2", "redis",
                "redis", "cache", Map.of("REDIS_PORT_NUMBER", String.valueOf(redis.port())),
                Map.of("REDIS_PASSWORD", "cache/redis-password")));
        return redis;
    }

    /** A SQLite file {@code db} in an application's pod {@code app-0}. */
    static void sqliteApp(Sandbox sandbox, String namespace, Path db) throws Exception {
        SqliteDatabase.create(db);
        sandbox.databasePod(namespace, "app-0", new Sandbox.DatabasePod("ghcr.io/example/app:1.0", "app", "app", "app",
                Map.of(), Map.of()));
    }

    /** A resource's status, its Events and its Jobs' logs (those whose folder names it), for an assertion's message. */
    static String describe(KubernetesClient kube, Path work, String namespace, Object status, String name) {
        StringBuilder text = new StringBuilder(status == null ? "(gone)" : kube.getKubernetesSerialization()
                .asYaml(status));
        kube.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()))
                .forEach(e -> text.append("\nevent ").append(e.getReason()).append(": ").append(e.getMessage()));
        try (Stream<Path> logs = Files.walk(work.resolve("pods"))) {
            for (Path log : logs.filter(p -> p.toString().contains(name) && p.toString().endsWith(".log")).toList()) {
                text.append("\n--- ").append(log.getFileName()).append('\n').append(Files.readString(log));
            }
        } catch (Exception e) {
            text.append("\n(no job logs: ").append(e).append(')');
        }
        return text.toString();
    }

    static void deleteRecursively(Path dir) throws java.io.IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Asks {@code found} four times a second until it gives a value; fails after {@code timeout}, naming where to look. */
    static <T> T await(Duration timeout, java.util.function.Supplier<T> found, Object whereToLook)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            T value = found.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not within " + timeout + "; see " + whereToLook);
    }

    /** Creates a DatabaseSnapshot of pod orders-db-0 into {@code bucket}, prefix prod, with the sandbox's s3-creds. */
    static void createOrdersSnapshot(KubernetesClient kube, String namespace, String name, String bucket, Object endpoint,
                                     String extraSpec) {
        kube.resource(kube.getKubernetesSerialization().unmarshal("""
                apiVersion: dbsnap.io/v1alpha1
                kind: DatabaseSnapshot
                metadata: {name: %s, namespace: %s}
                spec:
                  source: {pod: {name: orders-db-0}}
                  storage:
                    s3: {bucket: %s, prefix: prod, endpoint: %s, credentialsSecret: {name: s3-creds}}
                %s""".formatted(name, namespace, bucket, endpoint, extraSpec.isEmpty() ? "" : "  " + extraSpec + "\n"),
                DatabaseSnapshot.class)).create();
    }

    /** The snapshot's status once Succeeded or Failed; null before (or while it does not exist). */
    static DatabaseSnapshotStatus finalStatus(KubernetesClient kube, String namespace, String name) {
        DatabaseSnapshot snapshot = kube.resources(DatabaseSnapshot.class).inNamespace(namespace).withName(name).get();
        DatabaseSnapshotStatus status = snapshot == null ? null : snapshot.getStatus();
        return status != null && ("Succeeded".equals(status.getPhase()) || "Failed".equals(status.getPhase())) ? status : null;
    }

    /** Closes each that was started, in order (operators before the sandbox they talk to). */
    static void closeAll(AutoCloseable... started) throws Exception {
        for (AutoCloseable each : started) {
            if (each != null) {
                each.close();
            }
        }
    }
}
