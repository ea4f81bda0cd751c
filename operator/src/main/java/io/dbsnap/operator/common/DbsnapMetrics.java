package io.dbsnap.operator.common;

import io.dbsnap.api.v1alpha1.common.JobStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * dbsnap's own Prometheus metrics, on /q/metrics beside the JVM's. Labels are the resource's namespace and
 * what happened (phase, reason), a schedule's name for its gauges: never a bucket, key or database name,
 * and never a snapshot's name (one series per snapshot would grow without end).
 * <ul>
 * <li>{@code dbsnap_snapshots_finished_total}, {@code dbsnap_restores_finished_total} {namespace, phase, reason}</li>
 * <li>{@code dbsnap_snapshot_duration_seconds}, {@code dbsnap_restore_duration_seconds} {namespace, phase}</li>
 * <li>{@code dbsnap_snapshot_stored_bytes}, {@code dbsnap_restore_restored_bytes} {namespace}</li>
 * <li>{@code dbsnap_schedule_last_success_timestamp_seconds} and {@code dbsnap_schedule_expected_interval_seconds}
 * {namespace, schedule}: "this schedule is late" is {@code time() - last > 2 * interval}, as Velero's pair</li>
 * </ul>
 */
@Singleton
public class DbsnapMetrics {

    private final MeterRegistry registry;
    private final Map<Tags, ScheduleGauges> schedules = new ConcurrentHashMap<>();

    @Inject
    public DbsnapMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Metrics kept in memory only: for reconcilers built by hand (tests). */
    public static DbsnapMetrics inMemory() {
        return new DbsnapMetrics(new SimpleMeterRegistry());
    }

    /**
     * A snapshot or restore reached its final phase (called once, on the change).
     *
     * @param kind  "snapshot" or "restore"
     * @param bytes what was stored or restored, when it succeeded
     */
    public void finished(String kind, HasMetadata resource, JobStatus status, Long bytes) {
        String namespace = resource.getMetadata().getNamespace();
        String phase = status.getPhase();
        String reason = Optional.ofNullable(status.getConditions()).stream().flatMap(List::stream)
                .filter(c -> Conditions.TRUE.equals(c.getStatus())).map(Condition::getReason).findFirst().orElse("");
        registry.counter("dbsnap." + kind + "s.finished", "namespace", namespace, "phase", phase, "reason", reason)
                .increment();
        if (status.getStartTime() != null && status.getCompletionTime() != null) {
            Duration took = Duration.between(Instant.parse(status.getStartTime()), Instant.parse(status.getCompletionTime()));
            Timer.builder("dbsnap." + kind + ".duration").description("from the Job's start to the result")
                    .tags("namespace", namespace, "phase", phase).register(registry).record(took);
        }
        if (bytes != null) {
            DistributionSummary.builder("dbsnap." + kind + (kind.equals("snapshot") ? ".stored" : ".restored"))
                    .baseUnit("bytes").tags("namespace", namespace).register(registry).record(bytes);
        }
    }

    /** A schedule's health, each time it is reconciled; nulls leave the gauge without a value (NaN). */
    public void schedule(String namespace, String name, Instant lastSuccess, Duration expectedInterval) {
        ScheduleGauges gauges = schedules.computeIfAbsent(Tags.of("namespace", namespace, "schedule", name),
                tags -> new ScheduleGauges(registry, tags));
        gauges.lastSuccess.set(lastSuccess == null ? Double.NaN : lastSuccess.toEpochMilli() / 1000.0);
        gauges.interval.set(expectedInterval == null ? Double.NaN : expectedInterval.toMillis() / 1000.0);
    }

    /** The schedule is gone: its series go with it. */
    public void scheduleGone(String namespace, String name) {
        ScheduleGauges gauges = schedules.remove(Tags.of("namespace", namespace, "schedule", name));
        if (gauges != null) {
            gauges.meters.forEach(registry::remove);
        }
    }

    private static final class ScheduleGauges {
        final AtomicReference<Double> lastSuccess = new AtomicReference<>(Double.NaN);
        final AtomicReference<Double> interval = new AtomicReference<>(Double.NaN);
        final List<Gauge> meters;

        ScheduleGauges(MeterRegistry registry, Tags tags) {
            meters = List.of(
                    Gauge.builder("dbsnap.schedule.last.success.timestamp", lastSuccess, AtomicReference::get)
                            .baseUnit("seconds").description("when the schedule's newest Succeeded snapshot ended")
                            .tags(tags).strongReference(true).register(registry),
                    Gauge.builder("dbsnap.schedule.expected.interval", interval, AtomicReference::get)
                            .baseUnit("seconds").description("the time between two of the schedule's slots")
                            .tags(tags).strongReference(true).register(registry));
        }
    }
}
