package io.dbsnap.sandbox;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.Watch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The kubelet's part, for Jobs only: each new Job gets a Pod object, its container command runs as
 * a local process with the container's environment (secretKeyRefs resolved from the API), and the
 * Pod's and Job's status are written back, termination message included.
 */
public final class JobRunner implements AutoCloseable {

    private final KubernetesClient client;
    private final SandboxApiServer api;
    private final Function<List<String>, List<String>> commandMapping;
    private final Path workDir;
    private final ExecutorService executor = Executors.newCachedThreadPool(LocalExec.daemon("job-runner"));
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private Watch watch;

    /**
     * @param commandMapping turns the container's command (e.g. {@code [dbsnap, agent, ...]}) into a
     *                       local one (e.g. {@code [java, -jar, .../dbsnap.jar, agent, ...]})
     */
    public JobRunner(KubernetesClient client, SandboxApiServer api, Function<List<String>, List<String>> commandMapping,
                     Path workDir) {
        this.client = client;
        this.api = api;
        this.commandMapping = commandMapping;
        this.workDir = workDir;
    }

    public JobRunner start() {
        watch = client.batch().v1().jobs().inAnyNamespace().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Job job) {
                if (action == Action.ADDED && job.getStatus() == null || action == Action.ADDED
                        && job.getStatus().getStartTime() == null) {
                    if (started.add(job.getMetadata().getUid())) {
                        executor.execute(() -> run(job));
                    }
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                // the sandbox is shutting down
            }
        });
        return this;
    }

    private void run(Job job) {
        String namespace = job.getMetadata().getNamespace();
        String jobName = job.getMetadata().getName();
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        client.batch().v1().jobs().inNamespace(namespace).withName(jobName).editStatus(j -> {
            j.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().withStartTime(now)
                    .withActive(1).build());
            return j;
        });
        Pod pod = client.pods().inNamespace(namespace).resource(new PodBuilder()
                .withNewMetadata().withName(jobName + "-" + UUID.randomUUID().toString().substring(0, 5))
                .withNamespace(namespace)
                .addToLabels("job-name", jobName).addToLabels("batch.kubernetes.io/job-name", jobName)
                .addToLabels("controller-uid", job.getMetadata().getUid())
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                        .withName(jobName).withUid(job.getMetadata().getUid()).withController(true).build())
                .endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec())
                .withNewStatus().withPhase("Running").withStartTime(now).endStatus()
                .build()).create();
        Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        Outcome outcome = execute(job, pod, container);
        String end = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).editStatus(p -> {
            p.getStatus().setPhase(outcome.exitCode == 0 ? "Succeeded" : "Failed");
            p.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName(container.getName())
                    .withImage(container.getImage()).withReady(false).withRestartCount(0)
                    .withState(new ContainerStateBuilder().withNewTerminated().withExitCode(outcome.exitCode)
                            .withReason(outcome.exitCode == 0 ? "Completed" : "Error").withMessage(outcome.message)
                            .withStartedAt(now).withFinishedAt(end).endTerminated().build())
                    .build()));
            return p;
        });
        client.batch().v1().jobs().inNamespace(namespace).withName(jobName).editStatus(j -> {
            j.getStatus().setActive(null);
            j.getStatus().setConditions(List.of(new JobConditionBuilder()
                    .withType(outcome.exitCode == 0 ? "Complete" : "Failed").withStatus("True")
                    .withReason(outcome.exitCode == 0 ? null : outcome.reason)
                    .withLastTransitionTime(end).withLastProbeTime(end).build()));
            if (outcome.exitCode == 0) {
                j.getStatus().setSucceeded(1);
                j.getStatus().setCompletionTime(end);
            } else {
                j.getStatus().setFailed(1);
            }
            return j;
        });
    }

    private record Outcome(int exitCode, String message, String reason) {
    }

    private Outcome execute(Job job, Pod pod, Container container) {
        Path dir;
        Map<String, String> env = ContainerEnvironment.base();
        try {
            env.putAll(ContainerEnvironment.resolve(container, pod.getMetadata(), this::secretData, (namespace, name) ->
                    Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get())
                            .map(map -> map.getData() == null ? Map.<String, String>of() : map.getData())));
        } catch (IllegalStateException e) {
            return new Outcome(128, e.getMessage(), "BackoffLimitExceeded");
        }
        try {
            dir = Files.createDirectories(workDir.resolve(pod.getMetadata().getName()));
        } catch (IOException e) {
            return new Outcome(128, "cannot create " + workDir + ": " + e.getMessage(), "BackoffLimitExceeded");
        }
        Path terminationLog = dir.resolve("termination-log");
        // the agent talks to this API server, as a pod would to its cluster's, with its ServiceAccount's token
        env.put("KUBERNETES_MASTER", api.url());
        String account = pod.getSpec().getServiceAccountName();
        env.put("KUBERNETES_AUTH_TOKEN", api.token(pod.getMetadata().getNamespace(), account == null ? "default" : account));
        env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
        env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
        env.put("KUBERNETES_NAMESPACE", pod.getMetadata().getNamespace());
        env.put("DBSNAP_TERMINATION_LOG", terminationLog.toString());
        List<String> command = new ArrayList<>();
        if (container.getCommand() != null) {
            command.addAll(container.getCommand());
        }
        if (container.getArgs() != null) {
            command.addAll(container.getArgs());
        }
        ProcessBuilder builder = new ProcessBuilder(commandMapping.apply(command))
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .redirectError(dir.resolve("stderr.log").toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Long deadline = job.getSpec().getActiveDeadlineSeconds();
        try {
            Process process = builder.start();
            if (!process.waitFor(deadline == null ? 3600 : deadline, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return new Outcome(137, "Job was active longer than specified deadline", "DeadlineExceeded");
            }
            String message = Files.exists(terminationLog)
                    ? Files.readString(terminationLog, StandardCharsets.UTF_8) : "";
            if (message.isEmpty() && process.exitValue() != 0) {
                // terminationMessagePolicy FallbackToLogsOnError
                message = tail(Files.readString(dir.resolve("stderr.log"), StandardCharsets.UTF_8));
            }
            return new Outcome(process.exitValue(), message, "BackoffLimitExceeded");
        } catch (IOException e) {
            return new Outcome(128, "cannot start " + command + ": " + e.getMessage(), "BackoffLimitExceeded");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(137, "the sandbox stopped", "BackoffLimitExceeded");
        }
    }

    private Optional<Map<String, String>> secretData(String namespace, String name) {
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            return Optional.empty();
        }
        Map<String, String> data = new java.util.LinkedHashMap<>();
        if (secret.getData() != null) {
            data.putAll(secret.getData());
        }
        if (secret.getStringData() != null) {
            secret.getStringData().forEach((k, v) -> data.put(k,
                    java.util.Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        }
        return Optional.of(data);
    }

    private static String tail(String log) {
        String[] lines = log.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 80), lines.length));
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
        executor.shutdownNow();
    }
}
