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
        if (broken || of < 0 || now == published) {
            return;
        }
        try {
            publish.accept(new JobProgress(Math.min(now, of), of));
            published = now;
        } catch (RuntimeException e) {
            broken = true;
            warn.accept("dbsnap: progress is no longer reported on the Job: " + e.getMessage());
        }
    }
}
