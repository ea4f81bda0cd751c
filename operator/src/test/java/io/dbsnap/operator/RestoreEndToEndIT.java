package io.dbsnap.operator;

import io.dbsnap.api.v1alpha1.restore.SnapshotRestore;
import io.dbsnap.api.v1alpha1.restore.SnapshotRestoreStatus;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotStatus;
import io.dbsnap.core.testing.MariaDbSampleData;
import io.dbsnap.core.testing.MariaDbServer;
import io.dbsnap.core.testing.PgFingerprint;
import io.dbsnap.core.testing.PgSampleData;
import io.dbsnap.core.testing.RedisSampleData;
import io.dbsnap.core.testing.RedisServer;
import io.dbsnap.core.testing.SqliteDatabase;
import io.dbsnap.core.testing.WithPostgresAndS3;
import io.dbsnap.operator.job.JobObservation;
import io.dbsnap.operator.restore.RestoreJobFactory;
import io.dbsnap.sandbox.ExecFault;
import io.dbsnap.sandbox.OperatorProcess;
import io.dbsnap.sandbox.Sandbox;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SnapshotRestore with real parts: the packaged operator against the sandbox, its Jobs run as the
 * packaged dbsnap, restores through pod exec into real databases, S3Proxy. A restore passes when
 * the target's data equals the snapshot's, and a refused or damaged one when the target is exactly
 * as it was and no safety snapshot was taken for it.
 */
class RestoreEndToEndIT extends WithPostgresAndS3 {

    private static final String NS = "shop";
    private static final String BUCKET = "snaps";
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final Path work = Path.of("target/e2e-restore").toAbsolutePath();

    private static Sandbox sandbox;
    private static OperatorProcess operator;
    private static KubernetesClient kube;
    private static MariaDbServer mariadb;
    private static RedisServer redis;
    /** The sample database as it was snapshotted. */
    private static Map<String, String> original;

    @BeforeAll
    static void startCluster() throws Exception {
        EnginePods.deleteRecursively(work);
        Files.createDirectories(work);
        pg.createDatabase("orders");
        PgSampleData.load(pg, "orders");
        original = PgFingerprint.of(pg, "orders");
        s3.createBucket(BUCKET);
        sandbox = EnginePods.cluster(work, NS, pg);
        kube = sandbox.client();
        // another pod of the same server, guarded
        sandbox.postgresPod(NS, "vault-db-0", new Sandbox.PostgresPod("postgres:15", "vault", "127.0.0.1",
                pg.port(), "postgres", "vault", "orders-db"));
        kube.pods().inNamespace(NS).withName("vault-db-0").edit(p -> {
            p.getMetadata().setAnnotations(Map.of("dbsnap.io/protect", "true"));
            return p;
        });
        pg.createDatabase("vault");
        pg.psql("vault", "CREATE TABLE secrets (id int PRIMARY KEY, v text); INSERT INTO secrets VALUES (1, 'keep')");

        mariadb = EnginePods.mariadb(sandbox, NS);
        redis = EnginePods.redis(sandbox, NS);
        EnginePods.sqliteApp(sandbox, NS, work.resolve("app.db"));

        operator = EnginePods.operator(sandbox, work, Map.of());
        // one snapshot of each database, restored by the tests below
        apply(snapshotYaml("orders-base", "orders-db-0", "", ""));
        apply(snapshotYaml("shop-base", "shop-mariadb-0", "", ""));
        apply(snapshotYaml("cache-base", "cache-0", "", ""));
        apply(snapshotYaml("app-base", "app-0", "    engine: sqlite\n    path: " + work.resolve("app.db") + "\n", ""));
        for (String name : List.of("orders-base", "shop-base", "cache-base", "app-base")) {
            assertThat(awaitSnapshot(name).getPhase()).as(name).isEqualTo("Succeeded");
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (AutoCloseable part : new AutoCloseable[]{mariadb, redis, operator, sandbox}) {
            if (part != null) {
                part.close();
            }
        }
    }

    @AfterEach
    void operatorKeepsRunning() {
        assertThat(operator.isAlive()).as("the operator process is still running").isTrue();
    }

    @Test
    void aRestoreFromASnapshotTakesASafetySnapshotFirstAndBringsBackTheData() throws Exception {
        pg.psql("orders", "DELETE FROM shop.orders WHERE id % 3 = 0; UPDATE shop.customers SET name = 'changed'");
        Map<String, String> changed = PgFingerprint.of(pg, "orders");
        assertThat(changed).isNotEqualTo(original);

        SnapshotRestoreStatus status = awaitRestore(apply(restoreYaml("back", "snapshotRef: {name: orders-base}", "")));

        assertThat(status.getPhase()).as(describe("back")).isEqualTo("Succeeded");
        assertThat(PgFingerprint.of(pg, "orders")).isEqualTo(original);
        DatabaseSnapshotStatus base = snapshot("orders-base").getStatus();
        assertThat(status.getVerifiedChecksum()).isEqualTo(base.getChecksum());
        assertThat(status.getLocation()).isEqualTo(base.getLocation());
        assertThat(status.getSource()).isEqualTo(NS + "/orders-base");
        assertThat(status.getTarget()).as("the database the verify Job found: the pod's own").isEqualTo(NS + "/orders-db-0/orders");
        assertThat(status.getEngine()).isEqualTo("postgresql");
        assertThat(status.getRestoredBytes()).isEqualTo(status.getTotalBytes()).isPositive();
        // the agent reported its progress on its own Job, as far as the end
        assertThat(kube.batch().v1().jobs().inNamespace(NS).withName(status.getJobName()).get().getMetadata()
                .getAnnotations()).containsEntry("dbsnap.io/progress", status.getTotalBytes() + "/" + status.getTotalBytes());
        assertThat(conditionTrue(status, "Verified")).isTrue();
        assertThat(reasonsOfEvents("back")).contains("RestoreVerified", "PreRestoreSnapshotCreated", "RestoreStarted",
                "RestoreSucceeded");

        // the safety snapshot: succeeded, not owned by the restore, and itself restorable (it holds the changed data)
        DatabaseSnapshot safety = snapshot(status.getPreRestoreSnapshot());
        assertThat(safety.getStatus().getPhase()).isEqualTo("Succeeded");
        assertThat(safety.getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(safety.getSpec().getTag()).isEqualTo("pre-restore");
        kube.resources(SnapshotRestore.class).inNamespace(NS).withName("back").delete();
        awaitGone(SnapshotRestore.class, "back");
        assertThat(snapshot(status.getPreRestoreSnapshot())).as("kept after the restore is deleted").isNotNull();

        SnapshotRestoreStatus undo = awaitRestore(apply(restoreYaml("undo", "snapshotRef: {name: "
                + status.getPreRestoreSnapshot() + "}", "  target:\n    pod: {name: orders-db-0}\n    database: orders_undo\n")));
        assertThat(undo.getPhase()).as(describe("undo")).isEqualTo("Succeeded");
        assertThat(undo.getTargetHeldNothing()).as("a new database has nothing to keep").isTrue();
        assertThat(undo.getPreRestoreSnapshot()).isNull();
        assertThat(PgFingerprint.of(pg, "orders_undo")).isEqualTo(changed);
    }

    @Test
    void aRestoreCutOrKilledMidStreamFailsSaysWhatTheTargetHoldsAndNamesItsSafetySnapshot() throws Exception {
        int n = 0;
        // the exec cut, the command in the pod killed, and the restore Job's own agent killed (SIGKILL) mid-stream
        ExecFault agentKilled = ExecFault.cutAfterStdin(4 << 20).checkingFirst(RestoreEndToEndIT::killRestoringAgent);
        for (ExecFault fault : List.of(ExecFault.cutAfterStdin(4 << 20), ExecFault.killAfterStdin(4 << 20), agentKilled)) {
            pg.psql("orders", "UPDATE shop.customers SET name = 'before the fault " + n + "' WHERE id = 1");
            Map<String, String> before = PgFingerprint.of(pg, "orders");
            String name = "faulted-" + n++;
            sandbox.api().execFault(fault);
            SnapshotRestoreStatus status;
            try {
                status = awaitRestore(apply(restoreYaml(name, "snapshotRef: {name: orders-base}", "")));
            } finally {
                sandbox.api().execFault(ExecFault.NONE);
            }
            assertThat(status.getPhase()).as(describe(name)).isEqualTo("Failed");
            assertThat(failedReason(status)).isEqualTo(fault == agentKilled ? "JobFailed" : "RestoreFailed");
            assertThat(failedMessage(status)).contains("may be partly restored")
                    .contains("DatabaseSnapshot " + status.getPreRestoreSnapshot() + " holds it as it was");
            // PostgreSQL restores in one transaction: the cut one rolled back
            assertThat(PgFingerprint.of(pg, "orders")).isEqualTo(before);
            assertThat(snapshot(status.getPreRestoreSnapshot()).getStatus().getPhase()).isEqualTo("Succeeded");
        }
    }

    @Test
    void aSnapshotOfAPodARestoreWritesIntoWaitsQueuedUntilTheRestoreJobEnds() throws Exception {
        pg.psql("orders", "UPDATE shop.customers SET name = 'changed before the restore' WHERE id = 1");
        java.util.concurrent.CountDownLatch paused = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch checked = new java.util.concurrent.CountDownLatch(1);
        // the restore Job's stream stops mid-way (its stdin taken no further) until the snapshot has been looked at
        sandbox.api().execFault(ExecFault.pauseAfterStdin(4 << 20, () -> {
            paused.countDown();
            try {
                checked.await(2, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        SnapshotRestoreStatus status;
        DatabaseSnapshotStatus during;
        try {
            String restore = apply(restoreYaml("under-way", "snapshotRef: {name: orders-base}", ""));
            assertThat(paused.await(2, java.util.concurrent.TimeUnit.MINUTES)).as("the restore reached its stream").isTrue();
            apply(snapshotYaml("taken-meanwhile", "orders-db-0", "", ""));
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            do {
                Thread.sleep(200);
                during = snapshot("taken-meanwhile").getStatus();
            } while ((during == null || during.getConditions() == null || during.getConditions().isEmpty())
                    && System.nanoTime() < deadline);
            assertThat(during).isNotNull();
            assertThat(during.getPhase()).isEqualTo("Pending");
            assertThat(during.getJobName()).as("no Job while the restore writes").isNull();
            assertThat(during.getConditions()).anySatisfy(c -> {
                assertThat(c.getReason()).isEqualTo("Queued");
                assertThat(c.getMessage()).contains("SnapshotRestore " + restore, "pod " + NS + "/orders-db-0");
            });
        } finally {
            checked.countDown();
            sandbox.api().execFault(ExecFault.NONE);
        }
        status = awaitRestore("under-way");
        assertThat(status.getPhase()).as(describe("under-way")).isEqualTo("Succeeded");
        assertThat(PgFingerprint.of(pg, "orders")).isEqualTo(original);
        DatabaseSnapshotStatus after = awaitSnapshot("taken-meanwhile");
        assertThat(after.getPhase()).isEqualTo("Succeeded");
        // its Job came only once the restore Job had ended (the API's whole seconds)
        var restoreJob = kube.batch().v1().jobs().inNamespace(NS).withName(status.getJobName()).get();
        var snapshotJob = kube.batch().v1().jobs().inNamespace(NS).withName(after.getJobName()).get();
        assertThat(java.time.Instant.parse(snapshotJob.getMetadata().getCreationTimestamp()))
                .isAfterOrEqualTo(java.time.Instant.parse(restoreJob.getStatus().getCompletionTime()));
    }

    @Test
    void aSnapshotAppliedWhileARestoreTakesItsSafetySnapshotWaitsForTheWholeRestoreAndNeverRunsBesideIt() throws Exception {
        pg.psql("orders", "UPDATE shop.customers SET name = 'changed again' WHERE id = 2");
        String restore = apply(restoreYaml("claims-the-pod", "snapshotRef: {name: orders-base}", ""));
        String safety = null;
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (safety == null && System.nanoTime() < deadline) {
            Thread.sleep(100);
            SnapshotRestore current = kube.resources(SnapshotRestore.class).inNamespace(NS).withName(restore).get();
            safety = current.getStatus() == null ? null : current.getStatus().getPreRestoreSnapshot();
        }
        assertThat(safety).as("the restore took its safety snapshot: " + describe(restore)).isNotNull();
        apply(snapshotYaml("during-safety", "orders-db-0", "", ""));
        boolean sawQueued = false;
        String restoreJob = RestoreJobFactory.restoreJobName(kube.resources(SnapshotRestore.class).inNamespace(NS)
                .withName(restore).get());
        while (System.nanoTime() < deadline) {
            DatabaseSnapshotStatus manual = snapshot("during-safety").getStatus();
            var restoring = kube.batch().v1().jobs().inNamespace(NS).withName(restoreJob).get();
            var reading = manual == null || manual.getJobName() == null ? null
                    : kube.batch().v1().jobs().inNamespace(NS).withName(manual.getJobName()).get();
            assertThat(restoring != null && !JobObservation.finished(restoring) && reading != null
                    && !JobObservation.finished(reading)).as("the snapshot's Job and the restore Job at once").isFalse();
            sawQueued |= manual != null && manual.getConditions() != null && manual.getConditions().stream()
                    .anyMatch(c -> "Queued".equals(c.getReason())
                            && c.getMessage().contains("SnapshotRestore " + restore + ", which restores pod"));
            if (manual != null && ("Succeeded".equals(manual.getPhase()) || "Failed".equals(manual.getPhase()))) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(sawQueued).as("it waited Queued for the restore").isTrue();
        assertThat(awaitSnapshot("during-safety").getPhase()).isEqualTo("Succeeded");
        SnapshotRestoreStatus status = awaitRestore(restore);
        assertThat(status.getPhase()).as(describe(restore)).isEqualTo("Succeeded");
        assertThat(status.getPreRestoreSnapshot()).isEqualTo(safety);
        assertThat(PgFingerprint.of(pg, "orders")).isEqualTo(original);
    }

    @Test
    void aDryRunVerifiesAndPlansAndChangesNothing() throws Exception {
        Map<String, String> before = PgFingerprint.of(pg, "orders");
        List<String> snapshotsBefore = snapshotNames();

        SnapshotRestoreStatus status = awaitRestore(apply(restoreYaml("plan", "snapshotRef: {name: orders-base}",
                "  dryRun: true\n")));

        assertThat(status.getPhase()).as(describe("plan")).isEqualTo("Succeeded");
        assertThat(status.getVerifiedChecksum()).isEqualTo(snapshot("orders-base").getStatus().getChecksum());
        assertThat(status.getPlan()).contains("restore into database orders", "replace table shop.orders",
                "replace table shop.customers");
        assertThat(PgFingerprint.of(pg, "orders")).isEqualTo(before);
        assertThat(snapshotNames()).as("no safety snapshot for a dry run").isEqualTo(snapshotsBefore);
        assertThat(kube.batch().v1().jobs().inNamespace(NS).list().getItems().stream()
                .map(j -> j.getMetadata().getName()).filter(n -> n.startsWith("restore-plan"))).isEmpty();
    }

    @Test
    void aDamagedOrCutObjectFailsBeforeTheTargetOrASafetySnapshotIsTouched() throws Exception {
        String key = dataKey(snapshot("orders-base").getStatus().getLocation());
        byte[] stored = s3.client().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
        Map<String, String> before = PgFingerprint.of(pg, "orders");
        List<String> snapshotsBefore = snapshotNames();
        try {
            byte[] flipped = stored.clone();
            flipped[flipped.length / 2] ^= 0x40;
            byte[] cut = Arrays.copyOf(stored, stored.length - 1000);
            int n = 0;
            for (byte[] damaged : List.of(flipped, cut)) {
                s3.client().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(damaged));
                String name = "damaged-" + n++;
                SnapshotRestoreStatus status = awaitRestore(apply(restoreYaml(name, "snapshotRef: {name: orders-base}",
                        "")));
                assertThat(status.getPhase()).as(describe(name)).isEqualTo("Failed");
                assertThat(failedReason(status)).isEqualTo("ChecksumMismatch");
                assertThat(failedMessage(status)).contains("The target was not changed");
                assertThat(status.getVerifiedChecksum()).isNull();
                assertThat(PgFingerprint.of(pg, "orders")).isEqualTo(before);
                assertThat(snapshotNames()).isEqualTo(snapshotsBefore);
            }
        } finally {
            s3.client().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(stored));
        }
    }

    @Test
    void aDamageFoundOnlyByTheStreamingRestoreJobStopsItBeforeItsCommit() throws Exception {
        // no safety snapshot, so no verify Job: the restore Job streams into pg_restore and finds the damage at the end
        String key = dataKey(snapshot("orders-base").getStatus().getLocation());
        byte[] stored = s3.client().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
        pg.psql("orders", "UPDATE shop.customers SET name = 'before the stream' WHERE id = 2");
        Map<String, String> before = PgFingerprint.of(pg, "orders");
        try {
            byte[] appended = Arrays.copyOf(stored, stored.length + 1);
            byte[] flippedLate = stored.clone();
            flippedLate[flippedLate.length - flippedLate.length / 20] ^= 0x40;
            int n = 0;
            for (byte[] damaged : List.of(appended, flippedLate)) {
                s3.client().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(damaged));
                for (String database : List.of("orders", "orders_streamed_" + n)) {
                    String name = "streamed-" + n + "-" + database.replace('_', '-');
                    SnapshotRestoreStatus status = awaitRestore(apply(restoreYaml(name,
                            "snapshotRef: {name: orders-base}", "  preRestoreSnapshot: false\n  target:\n"
                                    + "    pod: {name: orders-db-0}\n    database: " + database + "\n")));
                    assertThat(status.getPhase()).as(describe(name)).isEqualTo("Failed");
                    assertThat(failedReason(status)).isEqualTo("ChecksumMismatch");
                    assertThat(failedMessage(status)).contains("stopped before it could commit");
                    assertThat(PgFingerprint.of(pg, "orders")).isEqualTo(before);
                    assertThat(pg.psql("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'orders_streamed_"
                            + n + "'").strip()).as("a database created for it is dropped again").isEqualTo("0");
                }
                n++;
            }
        } finally {
            s3.client().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(stored));
        }
    }

    @Test
    void aProtectedTargetIsRestoredOnlyWithItsIdentityConfirmed() throws Exception {
        String into = "  preRestoreSnapshot: false\n  target:\n    pod: {name: vault-db-0}\n    database: vault\n"
                ;
        Map<String, String> before = PgFingerprint.of(pg, "vault");
        for (String confirm : List.of("", "  confirm: shop/vault-db-0/orders\n", "  confirm: \"shop/vault-db-0/vault \"\n")) {
            String name = "guarded-" + Math.abs(confirm.hashCode());
            SnapshotRestoreStatus refused = awaitRestore(apply(restoreYaml(name, "snapshotRef: {name: orders-base}",
                    into + confirm)));
            assertThat(refused.getPhase()).as(describe(name)).isEqualTo("Failed");
            assertThat(failedReason(refused)).isEqualTo("TargetProtected");
            assertThat(failedMessage(refused)).contains("spec.confirm: shop/vault-db-0/vault");
            assertThat(PgFingerprint.of(pg, "vault")).isEqualTo(before);
        }
        SnapshotRestoreStatus confirmed = awaitRestore(apply(restoreYaml("guarded-ok", "snapshotRef: {name: orders-base}",
                into + "  confirm: shop/vault-db-0/vault\n")));
        assertThat(confirmed.getPhase()).as(describe("guarded-ok")).isEqualTo("Succeeded");
        assertThat(pg.psql("vault", "SELECT count(*) FROM shop.orders").strip()).isEqualTo("100000");
    }

    @Test
    void aSnapshotCopiedToAnotherPrefixIsRestoredByItsLocationAndPinnedChecksum() throws Exception {
        DatabaseSnapshotStatus base = snapshot("orders-base").getStatus();
        String from = base.getLocation().substring(("s3://" + BUCKET + "/").length());
        // another cluster's bucket: the same folder under another prefix, with no resource pointing at it
        String path = from.substring("prod/".length());
        for (String key : s3.keys(BUCKET).stream().filter(k -> k.startsWith(from)).toList()) {
            byte[] bytes = s3.client().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
            s3.client().putObject(b -> b.bucket(BUCKET).key("elsewhere/" + key.substring("prod/".length())),
                    RequestBody.fromBytes(bytes));
        }
        String location = "location:\n      s3: {bucket: " + BUCKET + ", prefix: elsewhere, endpoint: \"" + s3.endpoint()
                + "\", credentialsSecret: {name: s3-creds}}\n      path: " + path + "\n";
        String target = "  preRestoreSnapshot: false\n  target:\n    pod: {name: orders-db-0}\n    database: orders_elsewhere\n"
                ;

        SnapshotRestoreStatus wrong = awaitRestore(apply(restoreYaml("elsewhere-wrong", location + "      sha256: "
                + "0".repeat(64) + "\n", target)));
        assertThat(wrong.getPhase()).as(describe("elsewhere-wrong")).isEqualTo("Failed");
        assertThat(failedReason(wrong)).isEqualTo("ChecksumMismatch");
        assertThat(pg.psql("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'orders_elsewhere'").strip())
                .isEqualTo("0");

        SnapshotRestoreStatus status = awaitRestore(apply(restoreYaml("elsewhere", location + "      sha256: "
                + base.getChecksum() + "\n", target)));
        assertThat(status.getPhase()).as(describe("elsewhere")).isEqualTo("Succeeded");
        assertThat(status.getLocation()).isEqualTo("s3://" + BUCKET + "/elsewhere/" + path);
        assertThat(PgFingerprint.of(pg, "orders_elsewhere")).isEqualTo(original);
    }

    @Test
    void theNewestLabelledSnapshotOfAScheduleIsRestored() throws Exception {
        apply(snapshotYaml("nightly-1", "orders-db-0", "", "  labels: {dbsnap.io/schedule: nightly}\n"));
        assertThat(awaitSnapshot("nightly-1").getPhase()).isEqualTo("Succeeded");
        SnapshotRestoreStatus status = awaitRestore(apply(restoreYaml("last-night", "scheduleRef: {name: nightly}",
                "  preRestoreSnapshot: false\n  target:\n    pod: {name: orders-db-0}\n    database: orders_nightly\n"
                        )));
        assertThat(status.getPhase()).as(describe("last-night")).isEqualTo("Succeeded");
        assertThat(status.getSource()).isEqualTo(NS + "/nightly-1");
        assertThat(PgFingerprint.of(pg, "orders_nightly")).isEqualTo(PgFingerprint.of(pg, "orders"));

        SnapshotRestoreStatus none = awaitRestore(apply(restoreYaml("no-nightly", "scheduleRef: {name: weekly}", "")));
        assertThat(failedReason(none)).isEqualTo("SnapshotNotFound");
    }

    @Test
    void badSourcesAndTargetsFailWithAReasonAndTheOperatorRunsOn() throws Exception {
        apply(snapshotYaml("broken", "no-such-pod", "", ""));
        assertThat(awaitSnapshot("broken").getPhase()).isEqualTo("Failed");
        // (two sources, refused at admission by a CEL rule, reach an API server that does not run them too)
        Map<String, String> cases = Map.of(
                "snapshotRef: {name: nobody}", "SnapshotNotFound",
                "snapshotRef: {name: broken}", "SnapshotNotFound",
                "snapshotRef: {name: orders-base}\n    scheduleRef: {name: nightly}", "InvalidSpec",
                "scheduleRef: {name: nightly, before: yesterday}", "InvalidSpec");
        int n = 0;
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String name = "bad-" + n++;
            SnapshotRestoreStatus status = awaitRestore(apply(restoreYaml(name, c.getKey(), "")));
            assertThat(status.getPhase()).as(describe(name)).isEqualTo("Failed");
            assertThat(failedReason(status)).as(c.getKey()).isEqualTo(c.getValue());
        }
        SnapshotRestoreStatus secret = awaitRestore(apply(restoreYaml("bad-secret", "snapshotRef: {name: orders-base}",
                "  target:\n    pod: {name: orders-db-0}\n    credentialsSecret: {name: missing}\n")));
        assertThat(failedReason(secret)).isEqualTo("SecretNotFound");
        SnapshotRestoreStatus engine = awaitRestore(apply(restoreYaml("bad-engine", "snapshotRef: {name: orders-base}",
                "  target:\n    pod: {name: shop-mariadb-0}\n    engine: mariadb\n")));
        assertThat(engine.getPhase()).as(describe("bad-engine")).isEqualTo("Failed");
        assertThat(failedReason(engine)).isEqualTo("EngineMismatch");
        assertThat(MariaDbSampleData.fingerprint(mariadb, "shop")).isNotNull();
    }

    @Test
    void anEncryptedSnapshotIsRestoredOnlyWithItsIdentityWhichNothingElseEverHolds() throws Exception {
        io.dbsnap.core.crypto.AgeKeys.Generated key = io.dbsnap.core.crypto.AgeKeys.generate();
        io.dbsnap.core.crypto.AgeKeys.Generated team = io.dbsnap.core.crypto.AgeKeys.generate();
        String stranger = io.dbsnap.core.crypto.AgeKeys.generate().identity();
        kube.configMaps().resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
                .withName("team-keys").withNamespace(NS).endMetadata()
                .withData(Map.of("recipients.txt", "# the team\n" + team.recipient() + "\n")).build()).create();
        for (String[] secret : new String[][]{{"age-identity", key.identity()}, {"stranger-identity", stranger}}) {
            kube.secrets().resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
                    .withName(secret[0]).withNamespace(NS).endMetadata()
                    .withStringData(Map.of("key.txt", "# created by a test\n" + secret[1] + "\n")).build()).create();
        }
        Map<String, String> taken = PgFingerprint.of(pg, "orders");
        DatabaseSnapshotStatus sealed = awaitSnapshot(apply(snapshotYaml("orders-sealed", "orders-db-0", "", "")
                + "  encryption:\n    recipients: [" + key.recipient() + "]\n"
                + "    recipientsFrom: {configMapKeyRef: {name: team-keys, key: recipients.txt}}\n"));
        assertThat(sealed.getPhase()).as(describe("orders-sealed")).isEqualTo("Succeeded");
        String object = dataKey(sealed.getLocation());
        assertThat(object).endsWith(".zst.age");
        try (var in = s3.client().getObject(b -> b.bucket(BUCKET).key(object))) {
            assertThat(new String(in.readNBytes(21), java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("age-encryption.org/v1");
        }
        String manifestKey = object.substring(0, object.lastIndexOf('/') + 1) + "manifest.json";
        String manifest = s3.client().getObjectAsBytes(b -> b.bucket(BUCKET).key(manifestKey)).asUtf8String();
        assertThat(manifest).contains("\"encryption\" : \"age\"", key.recipient(), team.recipient());

        // a target with data of its own, which nothing but the right identity may replace
        pg.createDatabase("orders_sealed");
        pg.psql("orders_sealed", "CREATE TABLE mine (v text); INSERT INTO mine VALUES ('keep me')");
        Map<String, String> before = PgFingerprint.of(pg, "orders_sealed");
        String target = "  target:\n    pod: {name: orders-db-0}\n    database: orders_sealed\n";
        SnapshotRestoreStatus noKey = awaitRestore(apply(restoreYaml("sealed-no-key",
                "snapshotRef: {name: orders-sealed}", target)));
        assertThat(noKey.getPhase()).isEqualTo("Failed");
        assertThat(failedReason(noKey)).isEqualTo("DecryptionFailed");
        assertThat(failedMessage(noKey)).contains(key.recipient(), team.recipient(), "spec.decryption.identitySecret");
        SnapshotRestoreStatus wrongKey = awaitRestore(apply(restoreYaml("sealed-wrong-key",
                "snapshotRef: {name: orders-sealed}", target
                        + "  decryption: {identitySecret: {name: stranger-identity, key: key.txt}}\n")));
        assertThat(failedReason(wrongKey)).isEqualTo("DecryptionFailed");
        assertThat(failedMessage(wrongKey)).contains("none of the identities");
        assertThat(noKey.getPreRestoreSnapshot()).isNull();
        assertThat(wrongKey.getPreRestoreSnapshot()).isNull();
        assertThat(PgFingerprint.of(pg, "orders_sealed")).as("untouched").isEqualTo(before);

        SnapshotRestoreStatus restored = awaitRestore(apply(restoreYaml("sealed", "snapshotRef: {name: orders-sealed}",
                target + "  decryption: {identitySecret: {name: age-identity, key: key.txt}}\n")));
        assertThat(restored.getPhase()).as(describe("sealed")).isEqualTo("Succeeded");
        // the recipient of the identity that decrypted it, derived from the key in the Job, not the manifest's list
        assertThat(restored.getRecipients()).containsExactly(key.recipient());
        // a restore replaces what the snapshot holds and leaves the target's other tables: without its own, it is the snapshot
        pg.psql("orders_sealed", "DROP TABLE mine");
        assertThat(PgFingerprint.of(pg, "orders_sealed")).isEqualTo(taken);
        // the safety copy of what the target held is encrypted to the restorer's own key
        DatabaseSnapshot safety = snapshot(restored.getPreRestoreSnapshot());
        assertThat(safety.getStatus().getPhase()).isEqualTo("Succeeded");
        assertThat(safety.getSpec().getEncryption().getRecipients()).containsExactly(key.recipient());
        assertThat(dataKey(safety.getStatus().getLocation())).endsWith(".age");

        // the private key: in its Secret, and nowhere else the operator or its Jobs leave a trace
        List<String> traces = new java.util.ArrayList<>();
        for (Class<? extends HasMetadata> type : List.of(DatabaseSnapshot.class, SnapshotRestore.class,
                io.fabric8.kubernetes.api.model.batch.v1.Job.class, Event.class,
                io.fabric8.kubernetes.api.model.Pod.class)) {
            kube.resources(type).inNamespace(NS).list().getItems()
                    .forEach(item -> traces.add(kube.getKubernetesSerialization().asYaml(item)));
        }
        for (String k : s3.keys(BUCKET)) {
            if (k.endsWith("manifest.json")) {
                traces.add(s3.client().getObjectAsBytes(b -> b.bucket(BUCKET).key(k)).asUtf8String());
            }
        }
        try (var files = Files.walk(work)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".db")).toList()) {
                traces.add(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(traces).isNotEmpty().noneMatch(t -> t.contains(key.identity()) || t.contains(stranger)
                || t.contains(key.identity().toLowerCase()));
    }

    @Test
    void mariadbRedisAndSqliteAreRestoredIntoEqualData() throws Exception {
        Map<String, String> shop = MariaDbSampleData.fingerprint(mariadb, "shop");
        Map<String, String> cache = RedisSampleData.fingerprint(redis);
        String app = SqliteDatabase.dump(work.resolve("app.db"));
        mariadb.sql("shop", "DELETE FROM orders WHERE id % 2 = 0");
        redis.cli("FLUSHALL");
        redis.cli("SET", "stray", "value");
        SqliteDatabase.sql(work.resolve("app.db"), "DELETE FROM people WHERE id > 100;");

        for (String name : List.of("shop", "cache", "app")) {
            apply(restoreYaml(name + "-back", "snapshotRef: {name: " + name + "-base}", ""));
        }
        for (String name : List.of("shop", "cache", "app")) {
            SnapshotRestoreStatus status = awaitRestore(name + "-back");
            assertThat(status.getPhase()).as(describe(name + "-back")).isEqualTo("Succeeded");
            assertThat(snapshot(status.getPreRestoreSnapshot()).getStatus().getPhase()).isEqualTo("Succeeded");
        }
        assertThat(MariaDbSampleData.fingerprint(mariadb, "shop")).isEqualTo(shop);
        assertThat(RedisSampleData.fingerprint(redis)).isEqualTo(cache);
        assertThat(SqliteDatabase.dump(work.resolve("app.db"))).isEqualTo(app);
    }

    // --- helpers

    /** SIGKILL to the restore Job's agent (not a dry run's), as a node lost or an OOM kill would end it. */
    private static void killRestoringAgent() {
        List<ProcessHandle> agents = ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c ->
                c.contains(" agent restore ") && !c.contains("--dry-run")).orElse(false)).toList();
        assertThat(agents).as("the restoring agent").hasSize(1);
        agents.forEach(ProcessHandle::destroyForcibly);
    }

    private static String apply(String yaml) {
        HasMetadata resource = kube.getKubernetesSerialization().unmarshal(yaml);
        kube.resource(resource).create();
        return resource.getMetadata().getName();
    }

    private static String snapshotYaml(String name, String pod, String sourceExtra, String metadataExtra) {
        return """
                apiVersion: dbsnap.io/v1alpha1
                kind: DatabaseSnapshot
                metadata:
                  name: %s
                  namespace: %s
                %sspec:
                  source:
                    pod: {name: %s}
                %s  storage:
                    s3: {bucket: %s, prefix: prod, endpoint: "%s", credentialsSecret: {name: s3-creds}}
                """.formatted(name, NS, metadataExtra, pod, sourceExtra, BUCKET, s3.endpoint());
    }

    private static String restoreYaml(String name, String source, String specExtra) {
        return """
                apiVersion: dbsnap.io/v1alpha1
                kind: SnapshotRestore
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  source:
                    %s
                %s""".formatted(name, NS, source, specExtra);
    }

    private static DatabaseSnapshot snapshot(String name) {
        return kube.resources(DatabaseSnapshot.class).inNamespace(NS).withName(name).get();
    }

    private static List<String> snapshotNames() {
        return kube.resources(DatabaseSnapshot.class).inNamespace(NS).list().getItems().stream()
                .map(s -> s.getMetadata().getName()).sorted().toList();
    }

    private static DatabaseSnapshotStatus awaitSnapshot(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            DatabaseSnapshot current = snapshot(name);
            String phase = current == null || current.getStatus() == null ? null : current.getStatus().getPhase();
            if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                return current.getStatus();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("DatabaseSnapshot " + name + " did not finish within " + TIMEOUT);
    }

    private static SnapshotRestoreStatus awaitRestore(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            SnapshotRestore current = kube.resources(SnapshotRestore.class).inNamespace(NS).withName(name).get();
            String phase = current == null || current.getStatus() == null ? null : current.getStatus().getPhase();
            if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                return current.getStatus();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("SnapshotRestore " + name + " did not finish within " + TIMEOUT + ": " + describe(name));
    }

    private static void awaitGone(Class<? extends HasMetadata> type, String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (kube.resources(type).inNamespace(NS).withName(name).get() != null) {
            assertThat(System.nanoTime()).as(name + " is removed").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static String failedReason(SnapshotRestoreStatus status) {
        return status.getConditions().stream().filter(c -> c.getType().equals("Failed")).findFirst().orElseThrow()
                .getReason();
    }

    private static String failedMessage(SnapshotRestoreStatus status) {
        return status.getConditions().stream().filter(c -> c.getType().equals("Failed")).findFirst().orElseThrow()
                .getMessage();
    }

    private static boolean conditionTrue(SnapshotRestoreStatus status, String type) {
        return status.getConditions().stream().anyMatch(c -> c.getType().equals(type) && c.getStatus().equals("True"));
    }

    private static String dataKey(String location) {
        String prefix = location.substring(("s3://" + BUCKET + "/").length());
        return s3.keys(BUCKET).stream().filter(k -> k.startsWith(prefix) && !k.endsWith("manifest.json")).findFirst()
                .orElseThrow();
    }

    private static String describe(String name) {
        SnapshotRestore current = kube.resources(SnapshotRestore.class).inNamespace(NS).withName(name).get();
        return EnginePods.describe(kube, work, NS, current == null ? null : current.getStatus(), name);
    }

    private static List<String> reasonsOfEvents(String name) {
        return kube.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName())).map(Event::getReason).toList();
    }
}
