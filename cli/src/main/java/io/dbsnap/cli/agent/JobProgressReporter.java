package io.dbsnap.cli.agent;

import io.dbsnap.api.job.JobProgress;
import io.dbsnap.core.pipeline.TransferListener;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Publishes a transfer's progress every {@code every} from a thread of its own, so a slow API server
 * never holds up the stream; the last count is published when the transfer finishes. A publication
 * that fails stops the reporting (once, with a line on stderr): progress only informs.
 */
final class JobProgressReporter implements TransferListener, AutoCloseable {

    private final Consumer<JobProgress> publish;
    private final Consumer<String> warn;
    private final ScheduledExecutorService ticker;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong total = new AtomicLong(-1);
    private long published = -1;
    private volatile boolean broken;

    /** Progress published every few seconds as the annotation on the agent's own Job, when it runs in one. */
    static final Duration EVERY = Duration.ofSeconds(3);

    /**
     * Progress as an annotation on this agent's own Job, every few seconds, for the operator to keep the
     * resource's status current; without the Job's name (run by hand) it goes nowhere.
     */
    static JobProgressReporter onOwnJob(io.fabric8.kubernetes.client.KubernetesClient client,
                                        java.util.Map<String, String> env, Consumer<String> warn) {
        String job = env.get(JobProgress.JOB_NAME_ENV);
        String namespace = env.get(JobProgress.JOB_NAMESPACE_ENV);
        Consumer<JobProgress> publish = job == null || namespace == null ? p -> { }
                : p -> client.batch().v1().jobs().inNamespace(namespace).withName(job).patch(
                        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"" + JobProgress.ANNOTATION + "\":\"" + p.annotationValue()
                                + "\"}}}");
        return new JobProgressReporter(publish, warn, EVERY);
    }

    JobProgressReporter(Consumer<JobProgress> publish, Consumer<String> warn, Duration every) {
        this.publish = publish;
        this.warn = warn;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "job-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::publishIfMoved, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void started(String what, long expectedBytes) {
        total.set(expectedBytes);
        bytes.set(0);
    }

    @Override
    public void progressed(long count) {
        bytes.set(count);
    }

    @Override
    public void finished() {
        ticker.execute(this::publishIfMoved);
    }

    @Override
    public void close() {
        ticker.shutdown();
        try {
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs on the ticker thread only. */
    private void publishIfMoved() {
        long now = bytes.get();
        long of = total.get();
        if (broken || now == published) {
            return;
        }
        try {
            // a dump's size is known only at its end: 0 says so
            publish.accept(of < 0 ? new JobProgress(now, 0) : new JobProgress(Math.min(now, of), of));
            published = now;
        } catch (RuntimeException e) {
            broken = true;
            warn.accept("dbsnap: progress is no longer reported on the Job: " + e.getMessage());
        }
    }
}
