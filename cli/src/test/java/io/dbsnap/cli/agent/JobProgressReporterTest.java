package io.dbsnap.cli.agent;

import io.dbsnap.api.job.JobProgress;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class JobProgressReporterTest {

    @Test
    void publishesWhileItMovesAndTheLastCountAtTheEnd() throws Exception {
        List<JobProgress> published = new CopyOnWriteArrayList<>();
        List<String> warnings = new CopyOnWriteArrayList<>();
        try (JobProgressReporter reporter = new JobProgressReporter(published::add, warnings::add, Duration.ofMillis(20))) {
            reporter.started("snapshot x", 1000);
            reporter.progressed(250);
            waitFor(() -> !published.isEmpty());
            reporter.progressed(1000);
            reporter.finished();
        }
        assertThat(published).first().isEqualTo(new JobProgress(250, 1000));
        assertThat(published).last().isEqualTo(new JobProgress(1000, 1000));
        assertThat(published).extracting(JobProgress::bytes).isSorted().doesNotHaveDuplicates();
        assertThat(warnings).isEmpty();
    }

    @Test
    void aFailingPublicationStopsTheReportingWithOneWarningAndNeverTheTransfer() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        List<String> warnings = new CopyOnWriteArrayList<>();
        try (JobProgressReporter reporter = new JobProgressReporter(p -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("forbidden: jobs.batch \"x\"");
        }, warnings::add, Duration.ofMillis(10))) {
            reporter.started("snapshot x", 1000);
            for (int i = 1; i <= 20; i++) {
                reporter.progressed(i * 50L);
                Thread.sleep(5);
            }
            reporter.finished();
        }
        assertThat(attempts.get()).isEqualTo(1);
        assertThat(warnings).singleElement().asString().contains("no longer reported").contains("forbidden");
    }

    private static void waitFor(java.util.function.BooleanSupplier done) throws InterruptedException {
        for (int i = 0; i < 500 && !done.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertThat(done.getAsBoolean()).isTrue();
    }

    @Test
    void aDumpWhoseSizeIsKnownOnlyAtItsEndIsReportedWithTotalZero() throws Exception {
        java.util.List<JobProgress> published = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (JobProgressReporter reporter = new JobProgressReporter(published::add, w -> { }, java.time.Duration.ofMillis(10))) {
            reporter.started("dump", -1);
            reporter.progressed(4096);
            waitFor(() -> !published.isEmpty());
        }
        assertThat(published).first().isEqualTo(new JobProgress(4096, 0));
        assertThat(JobProgress.parse("5000/0")).contains(new JobProgress(5000, 0));
        assertThat(JobProgress.parse("5000/100")).contains(new JobProgress(100, 100));
        assertThat(new JobProgress(50L << 20, 0).describe(java.time.Duration.ofSeconds(10))).isEqualTo("50 MiB at 5.0 MiB/s");
        assertThat(new JobProgress(50L << 20, 200L << 20).describe(java.time.Duration.ZERO)).isEqualTo("50 MiB of 200 MiB (25%)");
    }
}
