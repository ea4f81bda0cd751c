package io.dbsnap.operator;

import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotStatus;
import io.dbsnap.core.testing.WithPostgresAndS3;
import io.dbsnap.sandbox.OperatorProcess;
import io.dbsnap.sandbox.Sandbox;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built images, unpacked and run as a container runtime would (scripts/image-run.sh: read-only
 * root, tmpfs /tmp, UID 65532): the operator's image reconciles a DatabaseSnapshot in the sandbox with
 * the chart's RBAC, and that snapshot's Job runs the agent's image, whose data lands in S3 whole.
 * {@code make image-check} unpacks the images and runs this; without them (no {@code make image}) it is skipped.
 */
class ImageIT extends WithPostgresAndS3 {

    private static final String NS = "shop";
    private static final Path CHECK = EnginePods.ROOT.resolve("target/image/check");
    private static final String RUN = EnginePods.ROOT.resolve("scripts/image-run.sh").toString();
    private static final Path work = Path.of("target/e2e-image").toAbsolutePath();
    private static Sandbox sandbox;
    private static OperatorProcess operator;
    private static KubernetesClient kube;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(CHECK.resolve("operator/rootfs")) && Files.isDirectory(CHECK.resolve("agent/rootfs")),
                "no unpacked images in target/image/check: make image-check");
        // every Job's dbsnap is the agent image's
        // every Job's dbsnap is the agent image's, found on the image's PATH with the image's environment
        List<String> agent = new ArrayList<>(inImage("agent"));
        agent.add("dbsnap");
        sandbox = EnginePods.ordersCluster(work, NS, pg, s3, "images", agent);
        kube = sandbox.client();
        ChartRelease release = ChartRelease.render(EnginePods.OPERATOR_NS, EnginePods.chartValues());
        Map<String, String> env = new java.util.HashMap<>(release.operatorEnv());
        env.put("KUBERNETES_AUTH_TOKEN", release.installAccess(sandbox));
        List<String> entrypoint = new ArrayList<>(inImage("operator"));
        entrypoint.addAll(config("operator").path("process").path("args").isEmpty() ? List.of()
                : json(config("operator").path("process").path("args")));
        assertThat(entrypoint).as("the image's entrypoint").contains("/app/quarkus-run.jar");
        operator = OperatorProcess.start(entrypoint, sandbox.api().url(), env, work.resolve("operator.log"))
                .awaitStarted(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() throws Exception {
        EnginePods.closeAll(operator, sandbox);
    }

    @Test
    void theOperatorImageReconcilesAndTheAgentImageTakesTheSnapshot() throws Exception {
        assertThat(config("operator").path("process").path("user").path("uid").asInt()).as("the image's user")
                .isEqualTo(65532);
        assertThat(Files.readString(Path.of("/proc/" + operator.pid() + "/status"))).as("the operator runs as it")
                .containsPattern("Uid:\\s+65532\\s");
        EnginePods.createOrdersSnapshot(kube, NS, "from-images", "images", s3.endpoint(), "");
        DatabaseSnapshotStatus status = EnginePods.await(Duration.ofMinutes(3),
                () -> EnginePods.finalStatus(kube, NS, "from-images"), work);
        assertThat(status).isNotNull();
        assertThat(status.getPhase()).as(EnginePods.describe(kube, work, NS, status, "from-images")).isEqualTo("Succeeded");
        String key = java.net.URI.create(status.getLocation()).getPath().substring(1) + "pg.dump.zst";
        byte[] stored = s3.client().getObjectAsBytes(b -> b.bucket("images").key(key)).asByteArray();
        assertThat(status.getChecksum()).isEqualTo("sha256:" + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(stored)));
        assertThat(operator.isAlive()).isTrue();
    }

    @Test
    void theAgentImageSaysItsVersion() throws Exception {
        List<String> command = new ArrayList<>(inImage("agent"));
        command.addAll(List.of("dbsnap", "--version"));
        Process version = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(version.waitFor()).as(output).isZero();
        assertThat(output).startsWith("dbsnap 0.1.0");
    }

    @Test
    void theAgentImagesJdkTakesItsClassDataArchiveForTheLauncher() throws Exception {
        // -Xshare:on fails where the launcher's -Xshare:auto would go on silently without it (each Job a second slower)
        List<String> command = new ArrayList<>(inImage("agent"));
        command.addAll(List.of("java", "-Xshare:on", "-XX:SharedArchiveFile=/usr/local/lib/dbsnap/dbsnap.jsa",
                "-jar", "/usr/local/lib/dbsnap/dbsnap.jar", "--version"));
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor()).as(output).isZero();
        assertThat(output).startsWith("dbsnap 0.1.0");
        Path lib = CHECK.resolve("agent/rootfs/usr/local/lib/dbsnap");
        assertThat(Files.readString(lib.resolve("dbsnap.jsa.stamp"))).as("the image's own JDK")
                .startsWith("/usr/lib/jvm/java-17-openjdk-");
        assertThat(Files.getLastModifiedTime(lib.resolve("dbsnap.jsa")))
                .as("newer than the jar, as the launcher wants it").isGreaterThan(Files.getLastModifiedTime(lib.resolve("dbsnap.jar")));
    }

    /** How to run a command in the unpacked {@code image}: its root, and its environment (PATH, JAVA_HOME, ...). */
    private static List<String> inImage(String image) throws Exception {
        List<String> command = new ArrayList<>(List.of(RUN, CHECK.resolve(image + "/rootfs").toString(), "/usr/bin/env"));
        command.addAll(json(config(image).path("process").path("env")));
        assertThat(command).as(image + "'s environment").anyMatch(e -> e.startsWith("PATH=") && e.contains("/usr/local/bin"));
        return command;
    }

    /** The runtime config umoci unpacked beside the image's root filesystem. */
    private static com.fasterxml.jackson.databind.JsonNode config(String image) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(CHECK.resolve(image + "/config.json").toFile());
    }

    private static List<String> json(com.fasterxml.jackson.databind.JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
