package io.dbsnap.operator;

import io.dbsnap.api.v1alpha1.schedule.SnapshotSchedule;
import io.dbsnap.api.v1alpha1.schedule.SnapshotScheduleStatus;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.core.testing.WithPostgresAndS3;
import io.dbsnap.operator.schedule.ScheduledSnapshots;
import io.dbsnap.sandbox.OperatorProcess;
import io.dbsnap.sandbox.Sandbox;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A schedule every minute, run by the packaged operator in the sandbox for a few minutes, with real
 * snapshots into S3Proxy: each slot takes one snapshot, keepLast 2 leaves exactly the two newest
 * Succeeded ones and their stored objects, and after the operator was down for two slots exactly one
 * catch-up snapshot is taken and the missed slot is counted.
 */
class ScheduleEndToEndIT extends WithPostgresAndS3 {

    private static final String NS = "shop";
    private static final String BUCKET = "scheduled";
    private static final Path work = Path.of("target/e2e-schedule").toAbsolutePath();
    private static Sandbox sandbox;
    private static OperatorProcess operator;
    private static KubernetesClient kube;
    /** Every snapshot of the schedule ever seen, and the location it stored to once Succeeded. */
    private static final Map<String, String> seen = new LinkedHashMap<>();

    @BeforeAll
    static void startCluster() throws Exception {
        sandbox = EnginePods.ordersCluster(work, NS, pg, s3, BUCKET, EnginePods.packagedDbsnap());
        kube = sandbox.client();
        operator = EnginePods.operator(sandbox, work, Map.of());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (operator != null) {
            operator.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES) // waits on the wall clock's minutes
    void everyMinuteWithKeepLastTwoThenAnOutageCaughtUpOnce() throws Exception {
        // the immediate snapshot gets most of a minute: one still running at the next slot would rightly
        // skip that slot (concurrencyPolicy Forbid), which is not what this test is about
        Instant now = Instant.now();
        if (now.atZone(java.time.ZoneOffset.UTC).getSecond() > 15) {
            Thread.sleep(Duration.between(now, now.truncatedTo(ChronoUnit.MINUTES).plusSeconds(61)).toMillis());
        }
        kube.resource(kube.getKubernetesSerialization().unmarshal("""
                apiVersion: dbsnap.io/v1alpha1
                kind: SnapshotSchedule
                metadata: {name: minutely, namespace: %s}
                spec:
                  schedule: "* * * * *"
                  immediate: true
                  retention: {keepLast: 2}
                  snapshotTemplate:
                    spec:
                      source: {pod: {name: orders-db-0}}
                      storage:
                        s3: {bucket: %s, prefix: sched, endpoint: %s, credentialsSecret: {name: s3-creds}}
                """.formatted(NS, BUCKET, s3.endpoint()), SnapshotSchedule.class)).create();

        // the immediate snapshot and two slots, each Succeeded, with retention applied after the last
        await(Duration.ofMinutes(4), () -> succeededSlots() >= 3 && existing().size() == 2 && idle());
        List<String> names = List.copyOf(seen.keySet());
        assertThat(names).allSatisfy(n -> assertThat(n).matches("minutely-\\d{12}"));
        List<String> kept = existing();
        assertThat(kept).containsExactlyElementsOf(names.subList(names.size() - 2, names.size()));
        assertThat(kept).allSatisfy(n -> assertThat(phase(n)).isEqualTo("Succeeded"));
        // the slots after the immediate one are consecutive minutes: none lost, none doubled
        List<Instant> slots = names.stream().skip(1).map(ScheduleEndToEndIT::slotOf).toList();
        for (int i = 1; i < slots.size(); i++) {
            assertThat(Duration.between(slots.get(i - 1), slots.get(i))).isEqualTo(Duration.ofMinutes(1));
        }
        // retention took the older ones' stored data with them, and left the kept ones' alone
        Set<String> keys = new TreeSet<>(s3.keys(BUCKET));
        for (String name : names) {
            String prefix = keyOf(seen.get(name));
            boolean stored = keys.stream().anyMatch(k -> k.startsWith(prefix));
            assertThat(stored).as(name + " stored at " + prefix + " in " + keys).isEqualTo(kept.contains(name));
        }
        SnapshotScheduleStatus status = schedule().getStatus();
        assertThat(status.getRetention().getDeleted()).isEqualTo(names.size() - 2L);
        assertThat(status.getMissed()).as("no slot missed while the operator ran").isNull();
        assertThat(status.getLastSuccessfulTime()).isNotNull();
        assertThat(events("Scheduled")).hasSize(names.size());

        // the operator goes away for two slots and more
        operator.close();
        Instant down = Instant.now();
        Instant backAt = down.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(2)).plusSeconds(20);
        Thread.sleep(Duration.between(Instant.now(), backAt).toMillis());
        String before = schedule().getStatus().getLastSnapshot();
        Files.createDirectories(work.resolve("again"));
        operator = EnginePods.operator(sandbox, work.resolve("again"), Map.of());
        await(Duration.ofMinutes(2), () -> !before.equals(schedule().getStatus().getLastSnapshot()) && idle());
        SnapshotScheduleStatus after = schedule().getStatus();
        existing();
        // one catch-up, for the newest slot passed while it was down, however many were missed
        List<String> taken = seen.keySet().stream().filter(n -> !names.contains(n)).toList();
        Instant first = slotOf(taken.get(0));
        assertThat(first).isAfterOrEqualTo(down.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(2)));
        long missed = Duration.between(slotOf(before), first).toMinutes() - 1;
        assertThat(missed).isGreaterThanOrEqualTo(1);
        assertThat(after.getMissed().getCount()).isEqualTo(missed);
        assertThat(after.getMissed().getReason()).isEqualTo("ControllerDown");
        assertThat(taken).allSatisfy(n -> assertThat(slotOf(n)).isAfterOrEqualTo(first));
        assertThat(events("CaughtUp")).hasSize(1);
        assertThat(existing()).hasSizeLessThanOrEqualTo(3);
        assertThat(operator.isAlive()).isTrue();
    }

    // --- helpers

    private static SnapshotSchedule schedule() {
        return kube.resources(SnapshotSchedule.class).inNamespace(NS).withName("minutely").get();
    }

    private static DatabaseSnapshot snapshot(String name) {
        return kube.resources(DatabaseSnapshot.class).inNamespace(NS).withName(name).get();
    }

    private static String phase(String name) {
        DatabaseSnapshot s = snapshot(name);
        return s == null || s.getStatus() == null ? null : s.getStatus().getPhase();
    }

    /** The schedule's snapshots that exist now, oldest first; also remembers each one seen. */
    private static List<String> existing() {
        List<DatabaseSnapshot> now = kube.resources(DatabaseSnapshot.class).inNamespace(NS)
                .withLabel(DatabaseSnapshot.LABEL_SCHEDULE, "minutely").list().getItems().stream()
                .sorted(ScheduledSnapshots.OLDEST_FIRST).toList();
        for (DatabaseSnapshot s : now) {
            String location = s.getStatus() == null ? null : s.getStatus().getLocation();
            seen.merge(s.getMetadata().getName(), location == null ? "" : location, (a, b) -> b.isEmpty() ? a : b);
        }
        return now.stream().filter(s -> s.getMetadata().getDeletionTimestamp() == null)
                .map(s -> s.getMetadata().getName()).toList();
    }

    private static long succeededSlots() {
        existing();
        return seen.values().stream().filter(l -> !l.isEmpty()).count();
    }

    /** No snapshot of the schedule running, and none being deleted. */
    private static boolean idle() {
        return kube.resources(DatabaseSnapshot.class).inNamespace(NS).withLabel(DatabaseSnapshot.LABEL_SCHEDULE,
                "minutely").list().getItems().stream().allMatch(s -> s.getMetadata().getDeletionTimestamp() == null
                && s.getStatus() != null && "Succeeded".equals(s.getStatus().getPhase()));
    }

    private static List<String> events(String reason) {
        return kube.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "SnapshotSchedule".equals(e.getInvolvedObject().getKind()))
                .filter(e -> reason.equals(e.getReason())).map(Event::getMessage).toList();
    }

    /** The slot a snapshot's name stands for: SCHEDULE-yyyyMMddHHmm, UTC. */
    private static Instant slotOf(String name) {
        return java.time.LocalDateTime.parse(name.substring(name.lastIndexOf('-') + 1),
                java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmm")).toInstant(java.time.ZoneOffset.UTC);
    }

    private static String keyOf(String location) {
        URI uri = URI.create(location);
        return uri.getPath().substring(1);
    }

    private static void await(Duration timeout, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (done.getAsBoolean()) {
                return;
            }
            Thread.sleep(1000);
        }
        existing();
        throw new AssertionError("not there after " + timeout + ": seen " + seen + ", schedule status "
                + schedule().getStatus() + "; operator log " + operator.log());
    }
}
