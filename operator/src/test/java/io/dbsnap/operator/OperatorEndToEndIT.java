package io.dbsnap.operator;

import io.dbsnap.operator.job.JobAccess;
import io.dbsnap.operator.job.Refused;
import io.dbsnap.api.job.FailureReason;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotStatus;
import io.dbsnap.core.testing.MariaDbSampleData;
import io.dbsnap.core.testing.MariaDbServer;
import io.dbsnap.core.testing.PgFingerprint;
import io.dbsnap.core.testing.PgSampleData;
import io.dbsnap.core.testing.RedisSampleData;
import io.dbsnap.core.testing.RedisServer;
import io.dbsnap.core.testing.S3Server;
import io.dbsnap.core.testing.SqliteDatabase;
import io.dbsnap.core.testing.WithPostgresAndS3;
import io.dbsnap.sandbox.ExecFault;
import io.dbsnap.sandbox.OperatorProcess;
import io.dbsnap.sandbox.Sandbox;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole flow with real parts: the packaged operator against the sandbox's API server, Jobs run
 * by the sandbox's job runner as the packaged dbsnap, pod exec over the API's websocket into a real
 * PostgreSQL, and S3Proxy. Each test makes its own DatabaseSnapshot.
 */
class OperatorEndToEndIT extends WithPostgresAndS3 {

    private static final String NS = "shop";
    private static final String BUCKET = "snaps";
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String FINALIZER = "databasesnapshots.dbsnap.io/finalizer";
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    /** Kept after the run: the operator's log and each Job's output, for whoever reads a failure. */
    private static final Path work = Path.of("target/e2e").toAbsolutePath();
    private static Sandbox sandbox;
    private static OperatorProcess operator;
    private static KubernetesClient kube;
    private static MariaDbServer mariadb;
    private static RedisServer redis;
    private static RedisServer laptopRedis;

    @BeforeAll
    static void startCluster() throws Exception {
        EnginePods.deleteRecursively(work);
        Files.createDirectories(work);
        pg.createDatabase("orders");
        PgSampleData.load(pg, "orders");
        s3.createBucket(BUCKET);
        sandbox = EnginePods.cluster(work, NS, pg);
        kube = sandbox.client();
        // a database whose compressed dump is well past the first 8 MiB part, so a fault can strike while
        // a multipart upload is under way
        pg.createDatabase("ledger");
        // (no value repeats, so it compresses no better than hex does: about 2:1)
        pg.psql("ledger", "CREATE TABLE entries AS SELECT g AS id, md5('a' || g) || md5('b' || g) || md5('c' || g) "
                + "AS a, md5('d' || g) AS b FROM generate_series(1, 300000) g");
        sandbox.postgresPod(NS, "ledger-db-0", new Sandbox.PostgresPod("postgres:15", "ledger", "127.0.0.1",
                pg.port(), "postgres", "ledger", "orders-db"));
        startOtherEngines();
        operator = EnginePods.operator(sandbox, work, Map.of("DBSNAP_CLEANUP_GIVE_UP_AFTER", "PT3S"));
    }

    /** MariaDB, Redis (as Bitnami's image runs it) and a SQLite file in an application's pod. */
    private static void startOtherEngines() throws Exception {
        mariadb = EnginePods.mariadb(sandbox, NS);
        redis = EnginePods.redis(sandbox, NS);
        laptopRedis = RedisServer.start();
        EnginePods.sqliteApp(sandbox, NS, work.resolve("app.db"));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (AutoCloseable server : new AutoCloseable[]{mariadb, redis, laptopRedis}) {
            if (server != null) {
                server.close();
            }
        }
        if (operator != null) {
            operator.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @AfterEach
    void operatorKeepsRunning() {
        sandbox.api().execFault(ExecFault.NONE);
        assertThat(operator.isAlive()).as("the operator process is still running").isTrue();
    }

    /** What the chart's probes and a Prometheus scrape ask the packaged operator. */
    @Test
    void theOperatorAnswersItsProbesAndServesMetrics() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.function.Function<String, java.net.http.HttpResponse<String>> get = path -> {
            try {
                return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(operator.httpUrl() + path))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        assertThat(get.apply("/q/health/live").statusCode()).isEqualTo(200);
        assertThat(get.apply("/q/health/started").statusCode()).as("the chart's startup probe").isEqualTo(200);
        java.net.http.HttpResponse<String> ready = get.apply("/q/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\": \"UP\"", "\"databasesnapshot\": \"OK\"",
                "\"snapshotrestore\": \"OK\"", "\"snapshotschedule\": \"OK\"");
        // a snapshot that fails at once (its Secret is missing) is counted by namespace, phase and reason
        kube.resource(kube.getKubernetesSerialization().unmarshal(snapshotYaml("metrics-no-secret", "orders-db-0", null,
                "no-such-secret", BUCKET, ""), DatabaseSnapshot.class)).create();
        assertThat(awaitFinal("metrics-no-secret").getPhase()).isEqualTo("Failed");
        java.net.http.HttpResponse<String> metrics = get.apply("/q/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("# TYPE jvm_memory_used_bytes gauge").containsPattern(
                "dbsnap_snapshots_finished_total\\{namespace=\"" + NS + "\",phase=\"Failed\",reason=\"SecretNotFound\",?} [1-9]")
                .doesNotContain("metrics-no-secret");
    }

    @Test
    void aSnapshotSucceedsWithTheChecksumOfTheStoredObjectAndPullsBackIntoEqualData() throws Exception {
        DatabaseSnapshotStatus status = awaitFinal(create("orders-nightly", ""));

        assertThat(status.getPhase()).as(describe("orders-nightly")).isEqualTo("Succeeded");
        String key = keyOf(status.getLocation()) + "pg.dump.zst";
        ResponseBytes<GetObjectResponse> stored = s3.client().getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
        assertThat(status.getChecksum()).isEqualTo("sha256:" + sha256(stored.asByteArray()));
        assertThat(status.getSize()).isEqualTo(stored.asByteArray().length);
        assertThat(status.getRawSize()).isGreaterThan(status.getSize());
        assertThat(status.getLocation()).startsWith("s3://snaps/prod/shop/orders-db-0/").endsWith("-orders-nightly/");
        assertThat(status.getEngine()).isEqualTo("postgresql");
        assertThat(status.getEngineVersion()).startsWith(pg.psql("postgres", "SHOW server_version").strip()
                .split("\\.")[0] + ".");
        assertThat(status.getSource()).isEqualTo("shop/orders-db-0");
        assertThat(condition(status, "Complete")).satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("SnapshotStored");
            assertThat(c.getObservedGeneration()).isEqualTo(1L);
        });
        assertThat(condition(status, "Failed").getStatus()).isEqualTo("False");
        assertThat(status.getStartTime()).isNotNull();
        assertThat(status.getCompletionTime()).isNotNull();

        Job job = kube.batch().v1().jobs().inNamespace(NS).withName(status.getJobName()).get();
        assertThat(job.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getKind()).isEqualTo("DatabaseSnapshot"));
        assertThat(reasonsOfEvents("orders-nightly")).contains("SnapshotStarted", "SnapshotSucceeded");
        assertAccessRevoked(status.getJobName());

        // the developer's way back: dbsnap pull, as on a laptop with a kubeconfig
        pg.createDatabase("orders_copy");
        Path kubeconfig = sandbox.api().writeKubeconfig(work.resolve("kubeconfig"), NS);
        Cli pull = dbsnap(Map.of("KUBECONFIG", kubeconfig.toString(), "AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY,
                        "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY),
                "pull", NS + "/orders-nightly", "--store", work.resolve("laptop").toString(),
                "--restore", pg.url("orders_copy"), "--force", "--no-backup");
        assertThat(pull.exit()).as(pull.output()).isZero();
        assertThat(pull.output()).contains("sha256 verified: " + status.getChecksum().substring("sha256:".length()));
        assertThat(PgFingerprint.of(pg, "orders_copy")).isEqualTo(PgFingerprint.of(pg, "orders"));

        assertNoSecretsIn(job, status);
        assertThat(pull.output()).doesNotContain(pg.password()).doesNotContain(S3Server.SECRET_KEY);
    }

    @Test
    void snapshotsOfOnePodTakeTurnsWhileAnotherPodsRunsBesideThem() throws Exception {
        List<String> turns = List.of("turn-a", "turn-b", "turn-c");
        for (String name : turns) {
            create(name, "");
        }
        snapshotOf("beside", "ledger-db-0");
        int mostAtOnceOnOrders = 0;
        boolean besideRanWithOrders = false;
        java.util.Set<String> queued = new java.util.TreeSet<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!java.util.stream.Stream.concat(turns.stream(), java.util.stream.Stream.of("beside"))
                .allMatch(name -> isFinal(snapshot(name).get()))) {
            assertThat(System.nanoTime()).as(describe("turn-c")).isLessThan(deadline);
            List<Job> running = kube.batch().v1().jobs().inNamespace(NS).list().getItems().stream()
                    .filter(job -> job.getStatus() == null || job.getStatus().getConditions() == null
                            || job.getStatus().getConditions().stream().noneMatch(c -> "True".equals(c.getStatus())
                            && ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))))
                    .filter(job -> job.getMetadata().getLabels().get("dbsnap.io/snapshot") != null)
                    .toList();
            long onOrders = running.stream().filter(job -> "orders-db-0".equals(
                    job.getMetadata().getAnnotations().get("dbsnap.io/pod"))).count();
            mostAtOnceOnOrders = (int) Math.max(mostAtOnceOnOrders, onOrders);
            besideRanWithOrders |= onOrders > 0 && running.stream().anyMatch(job -> "ledger-db-0".equals(
                    job.getMetadata().getAnnotations().get("dbsnap.io/pod")));
            for (String name : turns) {
                DatabaseSnapshot current = snapshot(name).get();
                if (current.getStatus() != null && current.getStatus().getConditions() != null
                        && current.getStatus().getConditions().stream().anyMatch(c -> "Queued".equals(c.getReason()))) {
                    assertThat(current.getStatus().getJobName()).as("a queued snapshot has no Job").isNull();
                    assertThat(condition(current.getStatus(), "Complete").getMessage())
                            .contains("at most 1 snapshot Job at a time", "pod shop/orders-db-0");
                    queued.add(name);
                }
            }
            Thread.sleep(50);
        }
        for (String name : turns) {
            assertThat(snapshot(name).get().getStatus().getPhase()).as(describe(name)).isEqualTo("Succeeded");
        }
        assertThat(snapshot("beside").get().getStatus().getPhase()).as(describe("beside")).isEqualTo("Succeeded");
        assertThat(mostAtOnceOnOrders).as("snapshot Jobs of orders-db-0 running at once").isEqualTo(1);
        assertThat(queued).as("snapshots that waited Queued").hasSizeGreaterThanOrEqualTo(2);
        assertThat(besideRanWithOrders).as("ledger-db-0's snapshot did not wait for orders-db-0's").isTrue();
    }

    private static boolean isFinal(DatabaseSnapshot snapshot) {
        return snapshot != null && snapshot.getStatus() != null && ("Succeeded".equals(snapshot.getStatus().getPhase())
                || "Failed".equals(snapshot.getStatus().getPhase()));
    }

    @Test
    void aJobDeletedAfterSuccessIsNeverReplaced() throws Exception {
        DatabaseSnapshotStatus status = awaitFinal(create("once-only", ""));
        assertThat(status.getPhase()).as(describe("once-only")).isEqualTo("Succeeded");

        kube.batch().v1().jobs().inNamespace(NS).withName(status.getJobName()).delete();
        // a spec change (a new generation) is an event no filter drops; the reconciler's own line says it ran
        String ran = "shop/once-only is Succeeded: nothing more to do";
        long before = Files.readString(operator.log()).split(java.util.regex.Pattern.quote(ran), -1).length;
        snapshot("once-only").edit(s -> {
            s.getSpec().setNote("edited after success");
            return s;
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (Files.readString(operator.log()).split(java.util.regex.Pattern.quote(ran), -1).length <= before) {
            assertThat(System.nanoTime()).as("a reconcile of the edited snapshot within 60 s").isLessThan(deadline);
            Thread.sleep(100);
        }

        assertThat(kube.batch().v1().jobs().inNamespace(NS).withLabel("dbsnap.io/snapshot", "once-only").list()
                .getItems()).isEmpty();
        assertThat(snapshot("once-only").get().getStatus()).isEqualTo(status);
        assertThat(storedKeys(k -> k.contains("-once-only/"))).hasSize(2);
    }

    @Test
    void deletionPolicyDeleteRemovesTheStoredSnapshotAndRetainKeepsIt() throws Exception {
        DatabaseSnapshotStatus deleted = awaitFinal(create("goes-away", "  deletionPolicy: Delete\n"));
        DatabaseSnapshotStatus kept = awaitFinal(create("stays", ""));
        assertThat(storedKeys(k -> k.contains("-goes-away/"))).hasSize(2);
        assertThat(deleted.getPhase()).isEqualTo("Succeeded");
        assertThat(kept.getPhase()).isEqualTo("Succeeded");
        // only what has data to delete carries a finalizer: without the operator, Retain snapshots still delete
        assertThat(snapshot("goes-away").get().getMetadata().getFinalizers()).containsExactly(FINALIZER);
        assertThat(snapshot("stays").get().getMetadata().getFinalizers()).isNullOrEmpty();

        snapshot("goes-away").delete();
        snapshot("stays").delete();
        awaitGone("goes-away");
        awaitGone("stays");

        assertThat(storedKeys(k -> k.contains("-goes-away/"))).isEmpty();
        assertThat(storedKeys(k -> k.contains("-stays/"))).hasSize(2);
    }

    @Test
    void deletingGivesUpOnAStoreThatStaysUnreachableAndSaysWhatWasLeft() throws Exception {
        sandbox.secret(NS, "s3-creds-rotating", Map.of("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY));
        DatabaseSnapshotStatus status = awaitFinal(create("left-behind", "  deletionPolicy: Delete\n",
                "s3-creds-rotating", "snaps"));
        assertThat(status.getPhase()).isEqualTo("Succeeded");
        kube.secrets().inNamespace(NS).withName("s3-creds-rotating").edit(s -> {
            s.setData(Map.of("AWS_ACCESS_KEY_ID", base64("revoked"), "AWS_SECRET_ACCESS_KEY", base64("revoked-secret")));
            return s;
        });

        snapshot("left-behind").delete();
        awaitGone("left-behind");

        assertThat(storedKeys(k -> k.contains("-left-behind/"))).hasSize(2);
        assertThat(events("left-behind")).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("StoredSnapshotLeftBehind");
            assertThat(e.getMessage()).contains(status.getLocation());
        });
    }

    @Test
    void badInputEndsInFailedWithAReasonAndWhatToDo() throws Exception {
        record Case(String name, String spec, String secret, String bucket, String reason, String message) {
        }
        List<Case> cases = List.of(
                new Case("bad-engine", "", "s3-creds", BUCKET, FailureReason.ENGINE_UNKNOWN, "oracle"),
                new Case("bad-pod", "", "s3-creds", BUCKET, FailureReason.POD_NOT_FOUND,
                        "pod orders-db-9 not found in namespace shop"),
                new Case("bad-secret", "", "no-such-secret", BUCKET, FailureReason.SECRET_NOT_FOUND,
                        "secret no-such-secret (spec.storage.s3.credentialsSecret) not found in namespace shop"),
                new Case("bad-bucket", "", "s3-creds", "no-such-bucket", FailureReason.STORAGE_FAILED,
                        "no-such-bucket"));
        for (Case c : cases) {
            String yaml = switch (c.name()) {
                case "bad-engine" -> snapshotYaml(c.name(), "orders-db-0", "oracle", c.secret(), c.bucket(), "");
                case "bad-pod" -> snapshotYaml(c.name(), "orders-db-9", null, c.secret(), c.bucket(), "");
                default -> snapshotYaml(c.name(), "orders-db-0", null, c.secret(), c.bucket(), "");
            };
            kube.resource(kube.getKubernetesSerialization().unmarshal(yaml, DatabaseSnapshot.class)).create();
        }
        for (Case c : cases) {
            DatabaseSnapshotStatus status = awaitFinal(c.name());
            assertThat(status.getPhase()).as(c.name()).isEqualTo("Failed");
            Condition failed = condition(status, "Failed");
            assertThat(failed.getStatus()).isEqualTo("True");
            assertThat(failed.getReason()).as(c.name()).isEqualTo(c.reason());
            assertThat(failed.getMessage()).as(c.name()).contains(c.message());
            assertThat(condition(status, "Complete").getStatus()).isEqualTo("False");
            assertThat(reasonsOfEvents(c.name())).contains(c.reason());
            assertThat(storedKeys(k -> k.contains("-" + c.name() + "/"))).isEmpty();
        }
        // problems found before any Job (engine, secret) make no Job at all
        assertThat(kube.batch().v1().jobs().inNamespace(NS).withLabel("dbsnap.io/snapshot", "bad-secret").list()
                .getItems()).isEmpty();
        assertThat(kube.batch().v1().jobs().inNamespace(NS).withLabel("dbsnap.io/snapshot", "bad-engine").list()
                .getItems()).isEmpty();
    }

    @Test
    void aRetainSnapshotMadeWhenEverySnapshotGotTheFinalizerLosesItAndKeepsItsData() throws Exception {
        // as the operator before this one left a Retain snapshot: with the finalizer on it
        DatabaseSnapshot old = kube.getKubernetesSerialization().unmarshal(snapshotYaml("from-before", "orders-db-0",
                null, "s3-creds", BUCKET, ""), DatabaseSnapshot.class);
        old.getMetadata().setFinalizers(List.of(FINALIZER));
        kube.resource(old).create();
        assertThat(awaitFinal("from-before").getPhase()).isEqualTo("Succeeded");
        awaitFinalizers("from-before", List.of());

        snapshot("from-before").delete();
        awaitGone("from-before");
        assertThat(storedKeys(k -> k.contains("-from-before/"))).hasSize(2);
    }

    @Test
    void theJobMayExecOnlyIntoItsDatabasePodAndOnlyUntilItsResultIsIn() throws Exception {
        List<String> seen = new ArrayList<>();
        sandbox.api().execFault(ExecFault.killAfter(MID_LEDGER).checkingFirst(() -> {
            // while pg_dump streams: the Job runs as its own account, bound to a Role for ledger-db-0 alone
            DatabaseSnapshot running = snapshot("access-ledger").get();
            String jobName = running.getStatus().getJobName();
            Job job = kube.batch().v1().jobs().inNamespace(NS).withName(jobName).get();
            seen.add("account " + job.getSpec().getTemplate().getSpec().getServiceAccountName());
            Role role = kube.rbac().roles().inNamespace(NS).withName(jobName).get();
            role.getRules().forEach(rule -> seen.add(rule.getResources() + " " + rule.getVerbs() + " "
                    + rule.getResourceNames()));
            RoleBinding binding = kube.rbac().roleBindings().inNamespace(NS).withName(jobName).get();
            seen.add("bound " + binding.getSubjects().get(0).getName() + " to " + binding.getRoleRef().getName());
            seen.add("job " + jobName);
        }));
        DatabaseSnapshotStatus status = awaitFinal(snapshotOf("access-ledger", "ledger-db-0"));

        String jobName = status.getJobName();
        assertThat(seen).containsExactly("account " + jobName, "[pods] [get, list, watch] [ledger-db-0]",
                "[pods/exec] [create, get] [ledger-db-0]", "[jobs] [get, patch] [" + jobName + "]",
                "bound " + jobName + " to " + jobName, "job " + jobName);
        assertThat(status.getPhase()).isEqualTo("Failed");
        assertAccessRevoked(jobName);
    }

    @Test
    void aSelectorSnapshotReadsThePodTheOperatorChoseAndIsFiledUnderItsWorkload() throws Exception {
        String yaml = snapshotYaml("by-selector", "orders-db-0", null, "s3-creds", BUCKET, "")
                .replace("pod: {name: orders-db-0}", "pod: {selector: {matchLabels: {app.kubernetes.io/instance: orders}}}");
        kube.resource(kube.getKubernetesSerialization().unmarshal(yaml, DatabaseSnapshot.class)).create();
        DatabaseSnapshotStatus status = awaitFinal("by-selector");

        assertThat(status.getPhase()).as(describe("by-selector")).isEqualTo("Succeeded");
        assertThat(status.getLocation()).startsWith("s3://snaps/prod/shop/orders/");
        Job job = kube.batch().v1().jobs().inNamespace(NS).withName(status.getJobName()).get();
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .contains("--pod=orders-db-0", "--selector=app.kubernetes.io/instance=orders");
        assertAccessRevoked(status.getJobName());

        // a selector no pod matches fails before any Job is made
        kube.resource(kube.getKubernetesSerialization().unmarshal(yaml.replace("by-selector", "by-nothing")
                .replace("instance: orders", "instance: nobody"), DatabaseSnapshot.class)).create();
        DatabaseSnapshotStatus none = awaitFinal("by-nothing");
        assertThat(condition(none, "Failed").getReason()).isEqualTo(FailureReason.POD_NOT_FOUND);
        assertThat(condition(none, "Failed").getMessage()).contains("no pod in namespace shop matches the selector "
                + "app.kubernetes.io/instance=nobody");
        assertThat(kube.batch().v1().jobs().inNamespace(NS).withLabel("dbsnap.io/snapshot", "by-nothing").list()
                .getItems()).isEmpty();
    }

    /** Why granting the access was refused, if it was. */
    private static java.util.Optional<String> refusedGrant(DatabaseSnapshot owner,
                                                         List<io.fabric8.kubernetes.api.model.HasMetadata> access) {
        try {
            JobAccess.grant(kube, owner, access);
            return java.util.Optional.empty();
        } catch (Refused refused) {
            assertThat(refused.problem().reason()).isEqualTo(FailureReason.JOB_CONFLICT);
            return java.util.Optional.of(refused.problem().message());
        }
    }

    @Test
    void anAccountRoleOrBindingSomeoneElseMadeIsNeverChangedOrDeleted() {
        DatabaseSnapshot owner = kube.resource(kube.getKubernetesSerialization().unmarshal(snapshotYaml("not-started",
                "orders-db-0", "oracle", "s3-creds", BUCKET, ""), DatabaseSnapshot.class)).create();
        String name = "snapshot-not-started-foreign";
        // an administrator's Role of the same name, broader than any the operator would make
        Role admins = kube.rbac().roles().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.rbac.RoleBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .addNewRule().withApiGroups("").withResources("pods", "pods/exec").withVerbs("*").endRule().build())
                .create();
        List<io.fabric8.kubernetes.api.model.HasMetadata> access = JobAccess.toExecInto(owner,
                name, "orders-db-0", Map.of());

        java.util.Optional<String> refused = refusedGrant(owner, access);
        JobAccess.revoke(kube, owner, access);

        assertThat(refused).hasValueSatisfying(message -> assertThat(message)
                .contains("Role " + name + " already exists", "is not this snapshot's"));
        Role after = kube.rbac().roles().inNamespace(NS).withName(name).get();
        assertThat(after).as("the administrator's Role is still there").isNotNull();
        assertThat(after.getRules()).isEqualTo(admins.getRules());
        assertThat(after.getMetadata().getOwnerReferences()).isNullOrEmpty();
        // what was the snapshot's own (the account made before the Role was found) went again
        assertThat(kube.serviceAccounts().inNamespace(NS).withName(name).get()).isNull();
        assertThat(kube.rbac().roleBindings().inNamespace(NS).withName(name).get()).isNull();
        kube.rbac().roles().inNamespace(NS).withName(name).delete();

        // the first object and the last: an account, and a binding found after account and Role were made
        String first = "snapshot-not-started-account";
        kube.serviceAccounts().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata().withName(first).withNamespace(NS).endMetadata().build()).create();
        List<io.fabric8.kubernetes.api.model.HasMetadata> forFirst = JobAccess.toExecInto(
                owner, first, "orders-db-0", Map.of());
        assertThat(refusedGrant(owner, forFirst))
                .hasValueSatisfying(m -> assertThat(m).contains("ServiceAccount " + first));
        JobAccess.revoke(kube, owner, forFirst);
        assertThat(kube.serviceAccounts().inNamespace(NS).withName(first).get().getMetadata().getOwnerReferences())
                .isNullOrEmpty();
        assertThat(kube.rbac().roles().inNamespace(NS).withName(first).get()).isNull();

        String last = "snapshot-not-started-binding";
        RoleBinding theirs = kube.rbac().roleBindings().inNamespace(NS).resource(
                new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder().withNewMetadata().withName(last)
                        .withNamespace(NS).endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
                        .withKind("ClusterRole").withName("admin").endRoleRef().addNewSubject().withKind("User")
                        .withName("someone").endSubject().build()).create();
        List<io.fabric8.kubernetes.api.model.HasMetadata> forLast = JobAccess.toExecInto(
                owner, last, "orders-db-0", Map.of());
        assertThat(refusedGrant(owner, forLast))
                .hasValueSatisfying(m -> assertThat(m).contains("RoleBinding " + last));
        JobAccess.revoke(kube, owner, forLast);
        RoleBinding kept = kube.rbac().roleBindings().inNamespace(NS).withName(last).get();
        assertThat(kept.getRoleRef()).isEqualTo(theirs.getRoleRef());
        assertThat(kept.getSubjects()).isEqualTo(theirs.getSubjects());
        assertThat(kube.serviceAccounts().inNamespace(NS).withName(last).get()).as("ours, made first, gone").isNull();
        assertThat(kube.rbac().roles().inNamespace(NS).withName(last).get()).as("ours, made second, gone").isNull();
        kube.serviceAccounts().inNamespace(NS).withName(first).delete();
        kube.rbac().roleBindings().inNamespace(NS).withName(last).delete();
    }

    @Test
    void anEncryptedSnapshotIsPulledIntoALocalDatabaseOnlyWithAnIdentity() throws Exception {
        io.dbsnap.core.crypto.AgeKeys.Generated key = io.dbsnap.core.crypto.AgeKeys.generate();
        DatabaseSnapshotStatus status = awaitFinal(create("sealed-pull", "  encryption:\n    recipients: ["
                + key.recipient() + "]\n"));
        assertThat(status.getPhase()).as(describe("sealed-pull")).isEqualTo("Succeeded");
        Path kubeconfig = sandbox.api().writeKubeconfig(work.resolve("kubeconfig-sealed"), NS);
        Path identity = work.resolve("sealed-key.txt");
        Files.writeString(identity, key.identity() + "\n");
        Map<String, String> env = Map.of("KUBECONFIG", kubeconfig.toString(), "AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
        pg.createDatabase("sealed_copy");

        Cli withoutKey = dbsnap(env, "pull", NS + "/sealed-pull", "--store", work.resolve("laptop-sealed").toString(),
                "--restore", pg.url("sealed_copy"), "--force", "--no-backup");
        assertThat(withoutKey.exit()).as(withoutKey.output()).isEqualTo(1);
        assertThat(withoutKey.output()).contains("age-encrypted to " + key.recipient(), "--identity");
        assertThat(pg.psql("sealed_copy", "SELECT count(*) FROM pg_tables WHERE schemaname = 'shop'").strip())
                .isEqualTo("0");
        // the encrypted object itself was pulled (it needs no key): a second pull with the key downloads nothing
        Cli withKey = dbsnap(env, "pull", NS + "/sealed-pull", "--store", work.resolve("laptop-sealed").toString(),
                "--restore", pg.url("sealed_copy"), "--force", "--no-backup", "--identity", identity.toString());
        assertThat(withKey.exit()).as(withKey.output()).isZero();
        assertThat(withKey.output()).contains("already pulled");
        assertThat(PgFingerprint.of(pg, "sealed_copy")).isEqualTo(PgFingerprint.of(pg, "orders"));
        Path dump = work.resolve("sealed.dump");
        Cli toFile = dbsnap(env, "pull", NS + "/sealed-pull", "--store", work.resolve("laptop-sealed").toString(),
                "--to", dump.toString(), "--identity", identity.toString());
        assertThat(toFile.exit()).as(toFile.output()).isZero();
        assertThat(new String(Files.readAllBytes(dump), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("PGDMP");
        for (Cli run : List.of(withoutKey, withKey, toFile)) {
            assertThat(run.output()).doesNotContain(key.identity()).doesNotContain(S3Server.SECRET_KEY);
        }
    }

    @Test
    void pullWritesTheVerifiedDumpToAFileAndRefusesAResourceItsManifestContradicts() throws Exception {
        DatabaseSnapshotStatus status = awaitFinal(create("pulled", ""));
        assertThat(status.getPhase()).as(describe("pulled")).isEqualTo("Succeeded");
        Path kubeconfig = sandbox.api().writeKubeconfig(work.resolve("kubeconfig-pull"), NS);
        Map<String, String> env = Map.of("KUBECONFIG", kubeconfig.toString(), "AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
        Path dump = work.resolve("pulled.dump");

        Cli toFile = dbsnap(env, "pull", NS + "/pulled", "--store", work.resolve("laptop-pull").toString(),
                "--to", dump.toString());
        assertThat(toFile.exit()).as(toFile.output()).isZero();
        assertThat(toFile.output()).contains("wrote the verified dump");
        assertThat(Files.size(dump)).isEqualTo(status.getRawSize());
        assertThat(new String(Files.readAllBytes(dump), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("PGDMP");

        // a resource whose checksum is not its stored manifest's is not pulled
        snapshot("pulled").editStatus(s -> {
            s.getStatus().setChecksum("sha256:" + "0".repeat(64));
            return s;
        });
        Cli refused = dbsnap(env, "pull", NS + "/pulled", "--store", work.resolve("laptop-refused").toString());
        assertThat(refused.exit()).as(refused.output()).isEqualTo(1);
        assertThat(refused.output()).contains("but the resource says sha256:" + "0".repeat(64), "not pulled");
        assertThat(work.resolve("laptop-refused")).satisfiesAnyOf(
                dir -> assertThat(dir).doesNotExist(),
                dir -> assertThat(Files.walk(dir).filter(Files::isRegularFile)).isEmpty());
        for (Cli run : List.of(toFile, refused)) {
            assertThat(run.output()).doesNotContain(S3Server.SECRET_KEY).doesNotContain(pg.password());
        }
    }

    /** Past the first S3 part of the ledger's dump, well before its end. */
    private static final long MID_LEDGER = 24L << 20;

    @Test
    void aDumpKilledMidStreamIsFailedAndNothingIsStored() throws Exception {
        AtomicBoolean uploadUnderWay = new AtomicBoolean();
        sandbox.api().execFault(ExecFault.killAfter(MID_LEDGER).checkingFirst(() -> uploadUnderWay.set(awaitUpload())));
        DatabaseSnapshotStatus status = awaitFinal(snapshotOf("killed-dump", "ledger-db-0"));

        assertThat(uploadUnderWay).as("a multipart upload was under way when pg_dump was killed").isTrue();
        assertThat(status.getPhase()).as(describe("killed-dump")).isEqualTo("Failed");
        assertThat(condition(status, "Failed").getReason()).isEqualTo(FailureReason.DUMP_FAILED);
        assertThat(condition(status, "Failed").getMessage()).contains("pg_dump in pod shop/ledger-db-0").contains("killed by signal 9");
        assertNothingStored("killed-dump");
    }

    @Test
    void anExecStreamCutMidWayIsFailedAndNothingIsStored() throws Exception {
        AtomicBoolean uploadUnderWay = new AtomicBoolean();
        sandbox.api().execFault(ExecFault.cutAfter(MID_LEDGER).checkingFirst(() -> uploadUnderWay.set(awaitUpload())));
        DatabaseSnapshotStatus status = awaitFinal(snapshotOf("cut-stream", "ledger-db-0"));

        assertThat(uploadUnderWay).as("a multipart upload was under way when the stream was cut").isTrue();
        assertThat(status.getPhase()).as(describe("cut-stream")).isEqualTo("Failed");
        assertThat(condition(status, "Failed").getReason()).isEqualTo(FailureReason.DUMP_FAILED);
        assertThat(condition(status, "Failed").getMessage()).contains("stream cut");
        assertNothingStored("cut-stream");
    }

    @Test
    void aDumpWhoseLastBytesNeverArriveWhileTheExecSucceedsIsFailedForEveryEngine() throws Exception {
        // the ledger first, alone: its tail is lost only once its multipart upload is seen under way
        AtomicBoolean uploadUnderWay = new AtomicBoolean();
        sandbox.api().execFault(ExecFault.dropTail(4096).checkingFirst(() -> uploadUnderWay.set(awaitUpload())));
        awaitFinal(snapshotOf("lost-tail-pg", "ledger-db-0"));
        assertThat(uploadUnderWay).as("the ledger's multipart upload was under way when its tail was lost").isTrue();

        sandbox.api().execFault(ExecFault.dropTail(4096));
        snapshotOf("lost-tail-mariadb", "shop-mariadb-0");
        snapshotOf("lost-tail-redis", "cache-0");
        kube.resource(kube.getKubernetesSerialization().unmarshal(snapshotYaml("lost-tail-sqlite", "app-0", "sqlite",
                "s3-creds", BUCKET, "").replace("    pod: {name: app-0}\n", "    pod: {name: app-0}\n    path: "
                + work.resolve("app.db") + "\n"), DatabaseSnapshot.class)).create();

        for (String name : List.of("lost-tail-pg", "lost-tail-mariadb", "lost-tail-redis", "lost-tail-sqlite")) {
            DatabaseSnapshotStatus status = awaitFinal(name);
            assertThat(status.getPhase()).as(describe(name)).isEqualTo("Failed");
            assertThat(condition(status, "Failed").getReason()).as(name).isEqualTo(FailureReason.DUMP_FAILED);
            assertThat(condition(status, "Failed").getMessage()).as(name)
                    .containsPattern("wrote (\\d+) bytes at the source but \\d+ arrived \\(the stream was cut\\); "
                            + "nothing was stored");
            assertNothingStored(name);
        }
    }

    @Test
    void aDatabaseNamedLikeAnOptionIsSnapshottedWithAllItsRows() throws Exception {
        pg.createDatabase("--no-data");
        pg.psql("--no-data", "CREATE TABLE rows AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 700) g");
        // spec.source.database reaches the Job as --database=--no-data and pg_dump only through PGDATABASE
        kube.resource(kube.getKubernetesSerialization().unmarshal(snapshotYaml("named-no-data", "orders-db-0", null,
                "s3-creds", BUCKET, "").replace("    pod: {name: orders-db-0}\n",
                "    pod: {name: orders-db-0}\n    database: \"--no-data\"\n"), DatabaseSnapshot.class)).create();
        DatabaseSnapshotStatus named = awaitFinal("named-no-data");
        assertThat(named.getPhase()).as(describe("named-no-data")).isEqualTo("Succeeded");

        Path kubeconfig = sandbox.api().writeKubeconfig(work.resolve("kubeconfig-no-data"), NS);
        Cli pull = dbsnap(Map.of("KUBECONFIG", kubeconfig.toString(), "AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY,
                        "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY), "pull", NS + "/named-no-data", "--store",
                work.resolve("laptop-no-data").toString(), "--restore", pg.url("no_data_copy"), "--force", "--no-backup");
        assertThat(pull.exit()).as(pull.output()).isZero();
        assertThat(pg.psql("no_data_copy", "SELECT count(*), sum(length(v)) FROM rows").strip()).isEqualTo("700|22400");
    }

    @Test
    void mariadbRedisAndSqliteSnapshotsSucceedAndPullBackIntoEqualData() throws Exception {
        kube.resource(kube.getKubernetesSerialization().unmarshal(snapshotYaml("shop-nightly", "shop-mariadb-0", null,
                "s3-creds", BUCKET, ""), DatabaseSnapshot.class)).create();
        kube.resource(kube.getKubernetesSerialization().unmarshal(snapshotYaml("cache-nightly", "cache-0", null,
                "s3-creds", BUCKET, ""), DatabaseSnapshot.class)).create();
        kube.resource(kube.getKubernetesSerialization().unmarshal(snapshotYaml("app-nightly", "app-0", "sqlite",
                "s3-creds", BUCKET, "").replace("    pod: {name: app-0}\n", "    pod: {name: app-0}\n    path: "
                + work.resolve("app.db") + "\n"), DatabaseSnapshot.class)).create();

        DatabaseSnapshotStatus shop = awaitFinal("shop-nightly");
        assertThat(shop.getPhase()).as(describe("shop-nightly")).isEqualTo("Succeeded");
        assertThat(shop.getEngine()).isEqualTo("mariadb");
        assertThat(shop.getEngineVersion()).endsWith("-MariaDB");
        DatabaseSnapshotStatus cache = awaitFinal("cache-nightly");
        assertThat(cache.getPhase()).as(describe("cache-nightly")).isEqualTo("Succeeded");
        assertThat(cache.getEngine()).isEqualTo("redis");
        assertThat(cache.getEngineVersion()).isEqualTo(redis.cli("INFO", "server").lines()
                .filter(l -> l.startsWith("redis_version:")).findFirst().orElseThrow().substring(14).strip());
        DatabaseSnapshotStatus app = awaitFinal("app-nightly");
        assertThat(app.getPhase()).as(describe("app-nightly")).isEqualTo("Succeeded");
        assertThat(app.getEngine()).isEqualTo("sqlite");
        for (DatabaseSnapshotStatus status : List.of(shop, cache, app)) {
            String key = storedKeys(k -> k.startsWith(keyOf(status.getLocation())) && !k.endsWith("manifest.json"))
                    .get(0);
            byte[] stored = s3.client().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
            assertThat(status.getChecksum()).isEqualTo("sha256:" + sha256(stored));
        }

        Path kubeconfig = sandbox.api().writeKubeconfig(work.resolve("kubeconfig-engines"), NS);
        Map<String, String> env = Map.of("KUBECONFIG", kubeconfig.toString(), "AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
        Cli pullShop = dbsnap(env, "pull", NS + "/shop-nightly", "--store", work.resolve("laptop").toString(),
                "--restore", mariadb.url("shop_laptop"), "--force", "--no-backup");
        assertThat(pullShop.exit()).as(pullShop.output()).isZero();
        assertThat(MariaDbSampleData.fingerprint(mariadb, "shop_laptop"))
                .isEqualTo(MariaDbSampleData.fingerprint(mariadb, "shop"));

        Cli pullCache = dbsnap(env, "pull", NS + "/cache-nightly", "--store", work.resolve("laptop").toString(),
                "--restore", laptopRedis.url(), "--force", "--no-backup");
        assertThat(pullCache.exit()).as(pullCache.output()).isZero();
        assertThat(RedisSampleData.fingerprint(laptopRedis)).isEqualTo(RedisSampleData.fingerprint(redis));

        Path laptopDb = work.resolve("laptop-app.db");
        Cli pullApp = dbsnap(env, "pull", NS + "/app-nightly", "--store", work.resolve("laptop").toString(),
                "--restore", "sqlite://" + laptopDb, "--force", "--no-backup");
        assertThat(pullApp.exit()).as(pullApp.output()).isZero();
        assertThat(SqliteDatabase.dump(laptopDb)).isEqualTo(SqliteDatabase.dump(work.resolve("app.db")));

        for (Cli pulled : List.of(pullShop, pullCache, pullApp)) {
            assertThat(pulled.output()).doesNotContain(mariadb.password()).doesNotContain(redis.password())
                    .doesNotContain(S3Server.SECRET_KEY);
        }
        for (String name : List.of("shop-nightly", "cache-nightly", "app-nightly")) {
            Job job = kube.batch().v1().jobs().inNamespace(NS).withName(snapshot(name).get().getStatus().getJobName()).get();
            assertNoSecretsIn(job, snapshot(name).get().getStatus());
        }
    }

    // --- helpers

    private static String create(String name, String extraSpec) {
        return create(name, extraSpec, "s3-creds", BUCKET);
    }

    /** A snapshot of {@code pod}'s database with the engine told by its image. */
    private static String snapshotOf(String name, String pod) {
        kube.resource(kube.getKubernetesSerialization().unmarshal(snapshotYaml(name, pod, null, "s3-creds", BUCKET, ""),
                DatabaseSnapshot.class)).create();
        return name;
    }

    /** Whether a multipart upload is (or, within a few seconds, gets) under way in the bucket. */
    private static boolean awaitUpload() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!s3.multipartUploads(BUCKET).isEmpty()) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private static String create(String name, String extraSpec, String s3Secret, String bucket) {
        String yaml = snapshotYaml(name, "orders-db-0", null, s3Secret, bucket, extraSpec);
        kube.resource(kube.getKubernetesSerialization().unmarshal(yaml, DatabaseSnapshot.class)).create();
        return name;
    }

    private static String snapshotYaml(String name, String pod, String engine, String s3Secret, String bucket,
                                       String extraSpec) {
        return """
                apiVersion: dbsnap.io/v1alpha1
                kind: DatabaseSnapshot
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  source:
                    pod: {name: %s}
                %s  storage:
                    s3:
                      bucket: %s
                      prefix: prod
                      endpoint: %s
                      credentialsSecret: {name: %s}
                  tag: it
                %s""".formatted(name, NS, pod, engine == null ? "" : "    engine: " + engine + "\n", bucket,
                s3.endpoint(), s3Secret, extraSpec);
    }

    private static Resource<DatabaseSnapshot> snapshot(String name) {
        return kube.resources(DatabaseSnapshot.class).inNamespace(NS).withName(name);
    }

    private static DatabaseSnapshotStatus awaitFinal(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            DatabaseSnapshot current = snapshot(name).get();
            DatabaseSnapshotStatus status = current == null ? null : current.getStatus();
            if (status != null && ("Succeeded".equals(status.getPhase()) || "Failed".equals(status.getPhase()))) {
                return status;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("DatabaseSnapshot " + name + " did not finish within " + TIMEOUT + ": "
                + describe(name));
    }

    private static void assertAccessRevoked(String jobName) {
        assertThat(kube.serviceAccounts().inNamespace(NS).withName(jobName).get()).as("the Job's account").isNull();
        assertThat(kube.rbac().roles().inNamespace(NS).withName(jobName).get()).as("the Job's Role").isNull();
        assertThat(kube.rbac().roleBindings().inNamespace(NS).withName(jobName).get()).as("its binding").isNull();
    }

    private static void awaitFinalizers(String name, List<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!java.util.Objects.requireNonNullElse(snapshot(name).get().getMetadata().getFinalizers(), List.of())
                .equals(expected)) {
            assertThat(System.nanoTime()).as("finalizers of " + name + " become " + expected).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static void awaitGone(String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (snapshot(name).get() != null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("DatabaseSnapshot " + name + " was not removed: " + describe(name));
            }
            Thread.sleep(200);
        }
    }

    /** Status, Events and the Job's logs, for a failed assertion's message. */
    private static String describe(String name) {
        DatabaseSnapshot current = snapshot(name).get();
        return EnginePods.describe(kube, work, NS, current == null ? null : current.getStatus(), name);
    }

    private static List<Event> events(String name) {
        return kube.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
    }

    private static List<String> reasonsOfEvents(String name) {
        return events(name).stream().map(Event::getReason).toList();
    }

    private static Condition condition(DatabaseSnapshotStatus status, String type) {
        return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }

    private static List<String> storedKeys(Predicate<String> filter) {
        return s3.keys(BUCKET).stream().filter(filter).toList();
    }

    private static void assertNothingStored(String name) {
        assertThat(storedKeys(k -> k.contains("-" + name + "/"))).as("objects of " + name).isEmpty();
        assertThat(s3.multipartUploads(BUCKET)).as("unfinished uploads").isEmpty();
    }

    /** {@code s3://snaps/prod/...ID/} -> {@code prod/...ID/}. */
    private static String keyOf(String location) {
        return location.substring(("s3://" + BUCKET + "/").length());
    }

    private static void assertNoSecretsIn(Job job, DatabaseSnapshotStatus status) throws Exception {
        List<String> places = new ArrayList<>();
        places.add(kube.getKubernetesSerialization().asJson(job));
        places.add(kube.getKubernetesSerialization().asJson(status));
        kube.v1().events().inNamespace(NS).list().getItems().forEach(e -> places.add(e.getMessage()));
        places.add(Files.readString(operator.log()));
        try (Stream<Path> logs = Files.walk(work.resolve("pods"))) {
            for (Path log : logs.filter(Files::isRegularFile).toList()) {
                places.add(Files.readString(log));
            }
        }
        for (String text : places) {
            assertThat(text).doesNotContain(pg.password()).doesNotContain(S3Server.SECRET_KEY)
                    .doesNotContain(mariadb.password()).doesNotContain(redis.password());
        }
    }

    record Cli(int exit, String output) {
    }

    private static Cli dbsnap(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(EnginePods.java(), "-jar", ROOT.resolve("cli/target/dbsnap.jar").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, "cli", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().putAll(env);
        builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        Process process = builder.start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Cli(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static String base64(String value) {
        return java.util.Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
