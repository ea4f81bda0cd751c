package io.dbsnap.operator;

import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotStatus;
import io.dbsnap.core.testing.S3Server;
import io.dbsnap.core.testing.WithPostgresAndS3;
import io.dbsnap.sandbox.OperatorProcess;
import io.dbsnap.sandbox.Sandbox;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The developer's side, as {@code kubectl dbsnap}, with the packaged dbsnap and a kubeconfig for the
 * sandbox: list the cluster's snapshots, pull the newest of a schedule masked into a local database (twice,
 * identically), read the bucket with the snapshot's own Secret when the laptop has no AWS keys, and run
 * psql in the database pod with its credentials resolved there.
 */
class LaptopLoopIT extends WithPostgresAndS3 {

    private static final String NS = "shop";
    private static final String BUCKET = "laptop";
    private static final Path work = Path.of("target/laptop").toAbsolutePath();
    private static final String KEY = "a-laptop-masking-key-0123456789";
    private static Sandbox sandbox;
    private static OperatorProcess operator;
    private static KubernetesClient kube;
    private static Path kubeconfig;

    @BeforeAll
    static void snapshots() throws Exception {
        sandbox = EnginePods.ordersCluster(work, NS, pg, s3, BUCKET, EnginePods.packagedDbsnap());
        kube = sandbox.client();
        operator = EnginePods.operator(sandbox, work, Map.of());
        kubeconfig = sandbox.api().writeKubeconfig(work.resolve("kubeconfig"), NS);
        EnginePods.createOrdersSnapshot(kube, NS, "orders-monday", BUCKET, s3.endpoint(), "tag: monday");
        await("orders-monday");
        // what a schedule's snapshot carries: its label; the newest of them is what --latest-of pulls
        EnginePods.createOrdersSnapshot(kube, NS, "nightly-1", BUCKET, s3.endpoint(), "tag: nightly");
        await("nightly-1");
        EnginePods.createOrdersSnapshot(kube, NS, "nightly-2", BUCKET, s3.endpoint(), "tag: nightly");
        await("nightly-2");
        for (String name : List.of("nightly-1", "nightly-2")) {
            kube.resources(DatabaseSnapshot.class).inNamespace(NS).withName(name).edit(s -> {
                Map<String, String> labels = new HashMap<>(s.getMetadata().getLabels() == null ? Map.of()
                        : s.getMetadata().getLabels());
                labels.put(DatabaseSnapshot.LABEL_SCHEDULE, "nightly");
                s.getMetadata().setLabels(labels);
                return s;
            });
        }
    }

    @AfterAll
    static void stop() throws Exception {
        EnginePods.closeAll(operator, sandbox);
    }

    private static DatabaseSnapshotStatus await(String name) throws Exception {
        DatabaseSnapshotStatus status = EnginePods.await(Duration.ofMinutes(3), () -> EnginePods.finalStatus(kube, NS,
                name), work.resolve("operator.log"));
        assertThat(status.getPhase()).as(EnginePods.describe(kube, work, NS, status, name)).isEqualTo("Succeeded");
        return status;
    }

    @Test
    void listShowsTheClustersSnapshotsAsKubectlWould() throws Exception {
        Run table = kubectlDbsnap(Map.of(), "list", "-n", NS);
        assertThat(table.exit()).as(table.output()).isZero();
        List<String> lines = table.output().lines().filter(l -> !l.startsWith("S3")).toList();
        assertThat(lines.get(0)).startsWith("NAME").contains("ENGINE", "SOURCE", "PHASE", "SIZE", "AGE", "TAG", "LOCATION")
                .doesNotContain("CHECKSUM");
        assertThat(table.output()).contains("orders-monday", "nightly-2", "postgresql", "Succeeded", "monday",
                "s3://" + BUCKET + "/prod/" + NS + "/orders-db-0/");

        Run wide = kubectlDbsnap(Map.of(), "list", "-A", "-o", "wide");
        assertThat(wide.output().lines().findFirst().orElseThrow()).startsWith("NAMESPACE").contains("CHECKSUM");
        assertThat(wide.output()).contains("sha256:");

        Run json = kubectlDbsnap(Map.of(), "list", "-o", "json", "--ready");
        assertThat(json.exit()).as(json.output()).isZero();
        var items = kube.getKubernetesSerialization().unmarshal(json.output(),
                io.fabric8.kubernetes.api.model.KubernetesList.class).getItems();
        assertThat(items).extracting(i -> i.getKind()).containsOnly("DatabaseSnapshot");
        assertThat(items).extracting(i -> i.getMetadata().getName()).contains("orders-monday", "nightly-1", "nightly-2");

        Run none = kubectlDbsnap(Map.of(), "list", "--schedules");
        assertThat(none.exit()).isZero();
        assertThat(none.output()).contains("No SnapshotSchedules found.");
        // run as dbsnap (not kubectl-dbsnap) without cluster flags, list still means the local store
        Run store = dbsnap(Map.of(), "list", "--store", work.resolve("empty-store").toString());
        assertThat(store.output()).contains("no snapshots");
    }

    @Test
    void theNewestOfAScheduleIsPulledMaskedAndTwoPullsAgree() throws Exception {
        Files.writeString(work.resolve("rules.yaml"), """
                tables:
                  shop.customers:
                    name: fake name
                    email: hash
                  shop.orders:
                    note: "null"
                """);
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY",
                S3Server.SECRET_KEY, "DBSNAP_MASK_KEY", KEY);
        List<String> digests = new ArrayList<>();
        for (String db : List.of("laptop_a", "laptop_b")) {
            pg.createDatabase(db);
            Run pull = kubectlDbsnap(env, "pull", "--latest-of", "nightly", "--store", work.resolve("store-" + db).toString(),
                    "--restore", pg.url(db), "--mask", work.resolve("rules.yaml").toString(), "--force", "--no-owner");
            assertThat(pull.exit()).as(pull.output()).isZero();
            assertThat(pull.output()).contains("restoring shop/nightly-2", "without keeping it", "S3 credentials: your "
                    + "AWS_ACCESS_KEY_ID", "mask shop.customers.email: hash", "masked, sha256 verified")
                    .doesNotContain(pg.password());
            // the unmasked snapshot stays in the bucket: the laptop's store holds only the pre-restore snapshot
            // of the laptop's own database (under local/), nothing under the cluster's shop/orders-db-0/
            Path store = work.resolve("store-" + db);
            try (var files = Files.walk(store)) {
                assertThat(files.filter(Files::isRegularFile).map(p -> store.relativize(p).toString()))
                        .isNotEmpty().allMatch(p -> p.startsWith("local/"), "under local/");
            }
            digests.add(pg.psql(db, "SELECT md5(string_agg(name || email, ',' ORDER BY id)) FROM shop.customers"));
            assertThat(pg.psql(db, "SELECT count(*) FROM shop.customers c JOIN shop.orders o ON o.customer_id = c.id "
                    + "WHERE c.email LIKE 'user%@example.test' OR o.note IS NOT NULL").strip()).isEqualTo("0");
            assertThat(pg.psql(db, "SELECT count(*) FROM shop.orders").strip()).isEqualTo("100000");
        }
        assertThat(digests.get(0)).isEqualTo(digests.get(1));
        assertThat(digests.get(0)).isNotEqualTo(pg.psql("orders", "SELECT md5(string_agg(name || email, ',' ORDER BY id)) "
                + "FROM shop.customers"));

        // by tag, and a second pull of what the store has: nothing downloaded again
        Run byTag = kubectlDbsnap(env, "pull", "--tag", "monday", "--store", work.resolve("store-laptop_a").toString());
        assertThat(byTag.exit()).as(byTag.output()).isZero();
        assertThat(byTag.output()).contains("pulled shop/orders-monday");
        Run again = kubectlDbsnap(env, "pull", NS + "/orders-monday", "--store", work.resolve("store-laptop_a").toString());
        assertThat(again.output()).contains("already pulled shop/orders-monday");
        Run missing = kubectlDbsnap(env, "pull", "--latest-of", "weekly");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.output()).contains("SnapshotSchedule weekly not found in namespace shop");
    }

    @Test
    void withoutAwsKeysTheSnapshotsOwnSecretIsUsedAndSaidSo() throws Exception {
        Run pull = kubectlDbsnap(Map.of("HOME", work.toString()), "pull", "orders-monday", "--store",
                work.resolve("store-secret").toString());
        assertThat(pull.exit()).as(pull.output()).isZero();
        assertThat(pull.output()).contains("S3 credentials: the snapshot's Secret shop/s3-creds", "pulled shop/orders-monday")
                .doesNotContain(S3Server.SECRET_KEY);
    }

    @Test
    void psqlRunsInTheDatabasePodWithItsOwnCredentials() throws Exception {
        Run count = kubectlDbsnap(Map.of(), "psql", "orders-db-0", "--", "-At", "-c", "select count(*) from shop.orders");
        assertThat(count.exit()).as(count.output()).isZero();
        assertThat(count.output().strip()).isEqualTo("100000");
        Path sql = work.resolve("count.sql");
        Files.writeString(sql, "select count(*) from shop.customers;\nselect 'done';\n");
        Run piped = dbsnapWithInput(sql, "psql", "orders-db-0", "-i", "--", "-At");
        assertThat(piped.exit()).as(piped.output()).isZero();
        assertThat(piped.output().strip()).isEqualTo("20000\ndone");
        // without -i, stdin is not read: a script whose stdin never ends does not hang
        Run noInput = kubectlDbsnap(Map.of(), "psql", "orders-db-0", "--", "-At");
        assertThat(noInput.exit()).isZero();
        Run failed = kubectlDbsnap(Map.of(), "psql", "orders-db-0", "--", "-c", "select * from nowhere");
        assertThat(failed.exit()).isNotZero();
        assertThat(failed.output()).contains("nowhere").doesNotContain(pg.password());
        // psql's own status, not one of dbsnap's: 2 is psql's "connection lost"
        Run lost = kubectlDbsnap(Map.of(), "psql", "orders-db-0", "--", "-c", "select pg_terminate_backend(pg_backend_pid())");
        assertThat(lost.exit()).as(lost.output()).isEqualTo(2);
        assertThat(lost.output()).doesNotContain("dbsnap: unexpected error");
        Run wrongPod = kubectlDbsnap(Map.of(), "psql", "no-such-pod");
        assertThat(wrongPod.exit()).isEqualTo(1);
        assertThat(wrongPod.output()).contains("no-such-pod");
    }

    @Test
    void psqlOnATerminalInThePodShowsItsPromptAndNeverTheCredentials() throws Exception {
        Path typed = work.resolve("typed.sql");
        Files.writeString(typed, "select 6 * 7 as answer;\n\\q\n");
        // dbsnap on a terminal (script(1) gives it one) gives psql in the pod one too; the pager is off
        // because this terminal has no size
        Run shell = dbsnapOnTerminal(typed, "psql", "orders-db-0", "--", "-P", "pager=off");
        assertThat(shell.exit()).as(shell.output()).isZero();
        // psql prompts only on a terminal; the typed line is echoed there, then answered
        assertThat(shell.output()).containsPattern("\\w+=[#>] select 6 \\* 7 as answer;").contains("42")
                .doesNotContain(pg.password()).doesNotContain("PGPASSWORD").doesNotContain("--dbsnap-");

        Run tty = kubectlDbsnap(Map.of(), "psql", "orders-db-0", "-t", "--", "-c", "\\! tty");
        assertThat(tty.exit()).as(tty.output()).isZero();
        assertThat(tty.output().strip()).startsWith("/dev/");
        Run plain = kubectlDbsnap(Map.of(), "psql", "orders-db-0", "--", "-c", "\\! tty");
        assertThat(plain.output().strip()).isEqualTo("not a tty");
        Run failed = kubectlDbsnap(Map.of(), "psql", "orders-db-0", "-t", "--", "-c", "select * from nowhere");
        assertThat(failed.exit()).as(failed.output()).isEqualTo(1);
        assertThat(failed.output()).contains("\"nowhere\" does not exist").doesNotContain("dbsnap: unexpected error");
        // piped input cannot share a terminal's set-up: as kubectl exec -it, it runs without one
        Run piped = dbsnapWithInput(typed, "psql", "orders-db-0", "-i", "-t", "--", "-At");
        assertThat(piped.exit()).as(piped.output()).isZero();
        assertThat(piped.output()).contains("stdin is not a terminal", "42");
    }

    @Test
    void snapshotFromFlagsPrintsOrCreatesAndWaits() throws Exception {
        Run printed = kubectlDbsnap(Map.of(), "snapshot", "orders-db-0", "--name", "printed", "--tag", "laptop",
                "--dry-run=client", "-o", "yaml");
        assertThat(printed.exit()).as(printed.output()).isZero();
        DatabaseSnapshot parsed = kube.getKubernetesSerialization().unmarshal(printed.output().substring(
                printed.output().indexOf("---")), DatabaseSnapshot.class);
        assertThat(parsed.getSpec().getSource().getPod().getName()).isEqualTo("orders-db-0");
        assertThat(parsed.getSpec().getStorage().getS3().getBucket()).isEqualTo(BUCKET);
        assertThat(kube.resources(DatabaseSnapshot.class).inNamespace(NS).withName("printed").get()).isNull();

        Run waited = kubectlDbsnap(Map.of(), "snapshot", "orders-db-0", "--tag", "laptop", "--wait");
        assertThat(waited.exit()).as(waited.output()).isZero();
        assertThat(waited.output()).containsPattern("databasesnapshot.dbsnap.io/orders-db-0-\\d{8}-\\d{6} created")
                .contains("Succeeded: ", "s3://" + BUCKET + "/prod/", "sha256:");

        Run failed = kubectlDbsnap(Map.of(), "snapshot", "orders-db-0", "--name", "wrong-db", "--database", "nope",
                "--wait");
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.output()).contains("wrong-db Failed: ").doesNotContain(pg.password());
    }

    record Run(int exit, String output) {
    }

    /** The packaged dbsnap run as kubectl runs its plugin: named kubectl-dbsnap, with the sandbox's kubeconfig. */
    private static Run kubectlDbsnap(Map<String, String> env, String... args) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.put("DBSNAP_KUBECTL_PLUGIN", "1");
        all.put("KUBECONFIG", kubeconfig.toString());
        return dbsnap(all, args);
    }

    /** kubectl dbsnap with {@code input} as its stdin. */
    private static Run dbsnapWithInput(Path input, String... args) throws Exception {
        Map<String, String> env = Map.of("DBSNAP_KUBECTL_PLUGIN", "1", "KUBECONFIG", kubeconfig.toString());
        return dbsnap(env, input, args);
    }

    /** kubectl dbsnap on a terminal of its own (util-linux script(1)) that {@code input} is typed into. */
    private static Run dbsnapOnTerminal(Path input, String... args) throws Exception {
        StringBuilder line = new StringBuilder();
        List<String> argv = new ArrayList<>(List.of(EnginePods.java(), "-jar",
                EnginePods.ROOT.resolve("cli/target/dbsnap.jar").toString()));
        argv.addAll(List.of(args));
        for (String arg : argv) {
            line.append(" '").append(arg.replace("'", "'\\''")).append('\'');
        }
        Map<String, String> env = Map.of("DBSNAP_KUBECTL_PLUGIN", "1", "KUBECONFIG", kubeconfig.toString());
        return run(List.of("script", "-qec", line.toString().strip(), "/dev/null"), env, input);
    }

    private static Run dbsnap(Map<String, String> env, String... args) throws Exception {
        return dbsnap(env, Path.of("/dev/null"), args);
    }

    private static Run dbsnap(Map<String, String> env, Path input, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(EnginePods.java(), "-jar",
                EnginePods.ROOT.resolve("cli/target/dbsnap.jar").toString()));
        command.addAll(List.of(args));
        return run(command, env, input);
    }

    private static Run run(List<String> command, Map<String, String> env, Path input) throws Exception {
        Path out = Files.createTempFile(work, "cli", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(input.toFile()));
        builder.environment().remove("AWS_ACCESS_KEY_ID");
        builder.environment().remove("AWS_SECRET_ACCESS_KEY");
        builder.environment().remove("AWS_PROFILE");
        builder.environment().putAll(env);
        builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        Process process = builder.start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
