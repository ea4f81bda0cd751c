package io.dbsnap.sandbox;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A cluster on one machine, shared by {@code make demo} and the operator's end-to-end tests: the
 * API server, the CRDs from {@code crds/}, and the job runner that starts each Job's {@code dbsnap}
 * as a local process. Database "pods" are API objects whose exec runs locally against a real
 * server on a loopback port.
 */
public final class Sandbox implements AutoCloseable {

    private final SandboxApiServer api;
    private final KubernetesClient client;
    private final JobRunner jobs;

    private Sandbox(SandboxApiServer api, KubernetesClient client, JobRunner jobs) {
        this.api = api;
        this.client = client;
        this.jobs = jobs;
    }

    /**
     * @param dbsnapCommand how to run dbsnap here, e.g. {@code [java, -jar, cli/target/dbsnap.jar]}: a
     *                      Job's {@code dbsnap ARGS...} becomes {@code dbsnapCommand ARGS...}
     */
    public static Sandbox start(Path workDir, int apiPort, List<String> dbsnapCommand) {
        return start(workDir, apiPort, dbsnapCommand, true);
    }

    /** @param runJobs false: no kubelet, Jobs are made and stay unstarted (for measuring the operator alone) */
    public static Sandbox start(Path workDir, int apiPort, List<String> dbsnapCommand, boolean runJobs) {
        SandboxApiServer api = new SandboxApiServer().start(apiPort);
        KubernetesClient client = api.client();
        JobRunner jobs = !runJobs ? null : new JobRunner(client, api, command -> {
            List<String> local = new ArrayList<>(dbsnapCommand);
            local.addAll(command.isEmpty() || !command.get(0).equals("dbsnap") ? command
                    : command.subList(1, command.size()));
            return local;
        }, workDir.resolve("pods")).start();
        return new Sandbox(api, client, jobs);
    }

    public SandboxApiServer api() {
        return api;
    }

    public KubernetesClient client() {
        return client;
    }

    /** Installs every CRD in the folder, as the chart does. */
    public void applyCrds(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(in,
                            CustomResourceDefinition.class);
                    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
                }
            }
        }
    }

    public void namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
    }

    /** A Secret stored as an API server stores one: values base64-encoded in {@code data}. */
    public void secret(String namespace, String name, Map<String, String> values) {
        Map<String, String> data = new LinkedHashMap<>();
        values.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name)
                .withNamespace(namespace).endMetadata().withData(data).build()).create();
    }

    /**
     * A PostgreSQL pod as the official image runs it: {@code POSTGRES_USER}, {@code POSTGRES_DB} and
     * {@code POSTGRES_PASSWORD} (from {@code passwordSecret}'s key {@code password}); {@code PGHOST} and
     * {@code PGPORT} point exec'd commands at the real server, as the pod's socket would.
     */
    public Pod postgresPod(String namespace, String name, PostgresPod db) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGHOST", db.host());
        env.put("PGPORT", String.valueOf(db.port()));
        env.put("POSTGRES_USER", db.user());
        env.put("POSTGRES_DB", db.database());
        return databasePod(namespace, name, new DatabasePod(db.image(), "postgres", "postgresql", db.instance(), env,
                Map.of("POSTGRES_PASSWORD", db.passwordSecret() + "/password")));
    }

    /**
     * A database pod, Running and Ready: one container of {@code image} with plain {@code env} and
     * {@code secretEnv} (variable to {@code secret/key}, a secretKeyRef). Exec'd commands run on this
     * machine with that environment, so the environment also points them at the real server.
     */
    public Pod databasePod(String namespace, String name, DatabasePod db) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<EnvVar> env = new ArrayList<>();
        db.env().forEach((k, v) -> env.add(new EnvVarBuilder().withName(k).withValue(v).build()));
        db.secretEnv().forEach((k, ref) -> env.add(new EnvVarBuilder().withName(k).withNewValueFrom()
                .withNewSecretKeyRef().withName(ref.substring(0, ref.indexOf('/')))
                .withKey(ref.substring(ref.indexOf('/') + 1)).endSecretKeyRef().endValueFrom().build()));
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace)
                    .addToLabels("app.kubernetes.io/name", db.appName())
                    .addToLabels("app.kubernetes.io/instance", db.instance())
                .endMetadata()
                .withNewSpec()
                    .addNewContainer().withName(db.container()).withImage(db.image()).withEnv(env).endContainer()
                .endSpec()
                .build();
        client.pods().inNamespace(namespace).resource(pod).create();
        // the kubelet's part: the database container is up and passes its readiness probe
        return client.pods().inNamespace(namespace).withName(name).editStatus(p -> {
            p.setStatus(new PodStatusBuilder().withPhase("Running").withStartTime(now)
                    .addNewCondition().withType("Ready").withStatus("True").withLastTransitionTime(now).endCondition()
                    .build());
            return p;
        });
    }

    /** A PostgreSQL server reachable on {@code host:port}, shown to the cluster as a pod of {@code image}. */
    public record PostgresPod(String image, String instance, String host, int port, String user, String database,
                              String passwordSecret) {
    }

    /** What {@link #databasePod} makes: the image and container, labels, and the container's environment. */
    public record DatabasePod(String image, String container, String appName, String instance,
                              Map<String, String> env, Map<String, String> secretEnv) {
    }

    @Override
    public void close() {
        if (jobs != null) {
            jobs.close();
        }
        client.close();
        api.close();
    }
}
