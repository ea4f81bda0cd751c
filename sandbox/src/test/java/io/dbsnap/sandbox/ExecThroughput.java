package io.dbsnap.sandbox;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * make bench-exec: pod exec throughput through the sandbox's API server, both ways (stdin into
 * {@code head -c N > /dev/null}, stdout from {@code head -c N /dev/zero}), with the HTTP client the agent
 * uses (fabric8's Vert.x one) beside OkHttp as fabric8 builds it (it offers permessage-deflate, which the
 * sandbox's server accepts) and OkHttp without that offer, in 32 KiB writes as the agent makes them.
 * Counts bytes, checks no content (ExecProtocolTest does). Measures; asserts nothing.
 */
public final class ExecThroughput {

    private static final int SLICE = 32 * 1024;

    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 512;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (SandboxApiServer server = new SandboxApiServer().start(0)) {
            KubernetesClient okhttp = server.client();
            okhttp.resource(new NamespaceBuilder().withNewMetadata().withName("x").endMetadata().build()).create();
            okhttp.resource(new PodBuilder().withNewMetadata().withName("db-0").withNamespace("x").endMetadata()
                    .withNewSpec().addNewContainer().withName("db").withImage("postgres:16").endContainer().endSpec()
                    .build()).create();
            KubernetesClient vertx = new KubernetesClientBuilder().withConfig(okhttp.getConfiguration())
                    .withHttpClientFactory(new VertxHttpClientFactory()).build();
            KubernetesClient plain = new KubernetesClientBuilder().withConfig(okhttp.getConfiguration())
                    .withHttpClientFactory(new io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory() {
                        @Override
                        protected void additionalConfig(okhttp3.OkHttpClient.Builder builder) {
                            builder.addInterceptor(chain -> chain.proceed(chain.request().newBuilder()
                                    .removeHeader("Sec-WebSocket-Extensions").build()));
                        }
                    }).build();
            System.out.printf("| client | direction | MiB | MB/s, each run (the first warms up) |%n| --- | --- | ---: | --- |%n");
            for (Map.Entry<String, KubernetesClient> client : Map.of(
                    "OkHttp as fabric8 builds it (offers permessage-deflate)", okhttp,
                    "Vert.x (the agent's, cli KubernetesClients)", vertx, "OkHttp without the deflate offer", plain).entrySet()) {
                List<String> in = new ArrayList<>();
                List<String> out = new ArrayList<>();
                for (int run = 0; run < runs; run++) {
                    in.add(String.format("%.0f", stdin(client.getValue(), mib << 20)));
                    out.add(String.format("%.0f", stdout(client.getValue(), mib << 20)));
                }
                System.out.printf("| %s | stdin | %d | %s |%n", client.getKey(), mib, String.join(", ", in));
                System.out.printf("| %s | stdout | %d | %s |%n", client.getKey(), mib, String.join(", ", out));
            }
            vertx.close();
            plain.close();
        }
        System.exit(0);
    }

    private static ExecWatch exec(KubernetesClient client, String script) {
        return client.pods().inNamespace("x").withName("db-0").inContainer("db").redirectingInput()
                .redirectingOutput().redirectingError().exec("sh", "-c", script);
    }

    private static double stdin(KubernetesClient client, long bytes) throws Exception {
        byte[] block = new byte[1 << 20];
        new Random(1).nextBytes(block);
        long start = System.nanoTime();
        try (ExecWatch watch = exec(client, "head -c " + bytes + " > /dev/null")) {
            OutputStream in = watch.getInput();
            for (long sent = 0; sent < bytes; sent += block.length) {
                for (int off = 0; off < block.length; off += SLICE) {
                    in.write(block, off, SLICE);
                }
            }
            in.flush();
            check(watch.exitCode().get(10, TimeUnit.MINUTES));
        }
        return bytes / ((System.nanoTime() - start) / 1e9) / 1e6;
    }

    private static double stdout(KubernetesClient client, long bytes) throws Exception {
        long start = System.nanoTime();
        long got = 0;
        try (ExecWatch watch = exec(client, "head -c " + bytes + " /dev/zero")) {
            InputStream out = watch.getOutput();
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = out.read(buffer)) >= 0; ) {
                got += n;
            }
            check(watch.exitCode().get(10, TimeUnit.MINUTES));
        }
        if (got != bytes) {
            throw new IllegalStateException("read " + got + " bytes of " + bytes);
        }
        return bytes / ((System.nanoTime() - start) / 1e9) / 1e6;
    }

    private static void check(int exit) {
        if (exit != 0) {
            throw new IllegalStateException("the command exited " + exit);
        }
    }
}
