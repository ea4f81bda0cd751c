package io.dbsnap.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code make demo}'s cluster, kept running until it is stopped: the API server, S3Proxy with a
 * bucket, a namespace with the S3 Secret and a PostgreSQL pod, the job runner and the operator.
 * It writes {@code DIR/kubeconfig} and {@code DIR/sandbox.env} (what a shell needs to use it), then
 * {@code DIR/ready}.
 */
public final class SandboxMain {

    static final String BUCKET = "snapshots";
    static final String ACCESS_KEY = "sandbox-access";
    // a throwaway credential of a loopback-only S3Proxy: printed in sandbox.env on purpose
    static final String SECRET_KEY = "sandbox-secret-key";

    private SandboxMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path dir = Path.of(required(options, "dir")).toAbsolutePath();
        // the names of samples/databasesnapshot-postgresql.yaml, so the sample applies as it is
        String namespace = "prod";
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve("ready"));

        SandboxS3 s3 = SandboxS3.start(dir.resolve("s3"), ACCESS_KEY, SECRET_KEY, BUCKET);
        Sandbox sandbox = Sandbox.start(dir, Integer.parseInt(options.getOrDefault("api-port", "0")),
                List.of(required(options, "dbsnap")), !"off".equals(options.get("kubelet")));
        sandbox.applyCrds(Path.of(required(options, "crds")));
        sandbox.namespace(namespace);
        sandbox.secret(namespace, "s3-credentials", Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", SECRET_KEY));
        sandbox.secret(namespace, "orders-db", Map.of("password", required(options, "pg-password")));
        sandbox.postgresPod(namespace, "orders-db-0", new Sandbox.PostgresPod("postgres:15", "orders", "127.0.0.1",
                Integer.parseInt(required(options, "pg-port")), "postgres", "orders", "orders-db"));
        Path kubeconfig = sandbox.api().writeKubeconfig(dir.resolve("kubeconfig"), namespace);
        OperatorProcess operator = OperatorProcess.start(Path.of(required(options, "operator")), sandbox.api().url(),
                Map.of(), dir.resolve("operator.log")).awaitStarted(Duration.ofSeconds(90));

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                operator.close();
                sandbox.close();
                s3.close();
            } catch (Exception e) {
                System.err.println("sandbox: stopping: " + e);
            }
        }));
        Files.writeString(dir.resolve("sandbox.env"), """
                export KUBECONFIG=%s
                export AWS_ACCESS_KEY_ID=%s
                export AWS_SECRET_ACCESS_KEY=%s
                export SANDBOX_S3_ENDPOINT=%s
                export SANDBOX_NAMESPACE=%s
                """.formatted(kubeconfig, ACCESS_KEY, SECRET_KEY, s3.endpoint(), namespace));
        // what each client has asked the API server so far, for benchmarks (bench/scale.sh)
        Thread counts = new Thread(() -> {
            while (true) {
                try {
                    StringBuilder lines = new StringBuilder();
                    sandbox.api().served().forEach((client, n) -> lines.append(client).append(' ').append(n).append('\n'));
                    Files.writeString(dir.resolve("api-requests.tmp"), lines);
                    Files.move(dir.resolve("api-requests.tmp"), dir.resolve("api-requests"),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    // the next second tries again
                }
            }
        }, "api-request-counts");
        counts.setDaemon(true);
        counts.start();
        Files.writeString(dir.resolve("ready"), sandbox.api().url() + "\n");
        System.out.println("sandbox: API " + sandbox.api().url() + ", S3 " + s3.endpoint() + ", namespace "
                + namespace + "; source " + dir.resolve("sandbox.env") + " to use it");
        new CountDownLatch(1).await();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
