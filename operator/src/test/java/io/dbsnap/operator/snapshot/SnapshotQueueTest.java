package io.dbsnap.operator.snapshot;

import io.dbsnap.operator.snapshot.SnapshotQueue.Entry;
import io.dbsnap.operator.snapshot.SnapshotQueue.Limits;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotQueueTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private static Entry snapshot(String name, String pod, int createdSecond) {
        return new Entry("ns/" + name, "ns/" + pod, NOW.minusSeconds(1000 - createdSecond));
    }

    @Test
    void onePerPodByDefaultAndOtherPodsAreNotHeldBack() {
        SnapshotQueue queue = new SnapshotQueue(new Limits(1, 0));
        assertThat(queue.admit(snapshot("a", "db-0", 1), List.of(), NOW)).isEmpty();
        // the informer has not shown a's Job yet: its reservation holds the place
        Optional<String> b = queue.admit(snapshot("b", "db-0", 2), List.of(), NOW);
        assertThat(b).hasValueSatisfying(why -> assertThat(why).contains("1 snapshot Job of pod ns/db-0 runs",
                "at most 1 at a time per pod", "jobs.maxPerPod"));
        assertThat(queue.admit(snapshot("c", "db-1", 3), List.of(), NOW)).as("another pod").isEmpty();
        // asked again, a admitted snapshot is still admitted (its Job may not be in the informer yet)
        assertThat(queue.admit(snapshot("a", "db-0", 1), List.of(), NOW)).isEmpty();
    }

    @Test
    void waitingSnapshotsStartInTheOrderTheyWereCreated() {
        SnapshotQueue queue = new SnapshotQueue(new Limits(1, 0));
        Entry running = snapshot("first", "db-0", 0);
        Entry older = snapshot("older", "db-0", 1);
        Entry newer = snapshot("newer", "db-0", 2);
        assertThat(queue.admit(newer, List.of(running), NOW)).isPresent();
        assertThat(queue.admit(older, List.of(running), NOW)).isPresent();
        assertThat(queue.waitingFor("ns/db-0")).containsExactly("ns/older", "ns/newer");
        assertThat(queue.waitingFor("ns/db-1")).isEmpty();

        // first's Job finished; the newer one is looked at first, and still waits for the older
        assertThat(queue.admit(newer, List.of(), NOW)).hasValueSatisfying(why ->
                assertThat(why).contains("1 older snapshot waits before this one"));
        assertThat(queue.admit(older, List.of(), NOW)).isEmpty();
        assertThat(queue.admit(newer, List.of(older), NOW)).isPresent();
        queue.release("ns/older");
        assertThat(queue.admit(newer, List.of(), NOW)).isEmpty();
        assertThat(queue.waitingFor("ns/db-0")).isEmpty();
    }

    @Test
    void aTotalLimitHoldsBackEveryPodAndWakesThemAll() {
        SnapshotQueue queue = new SnapshotQueue(new Limits(2, 3));
        List<Entry> running = List.of(snapshot("a", "db-0", 0), snapshot("b", "db-1", 0), snapshot("c", "db-2", 0));
        assertThat(queue.admit(snapshot("d", "db-3", 1), running, NOW)).hasValueSatisfying(why ->
                assertThat(why).contains("3 snapshot Jobs run", "dbsnap.job.max-total"));
        assertThat(queue.admit(snapshot("e", "db-0", 2), running, NOW)).isPresent();
        assertThat(queue.waitingFor("ns/db-2")).as("any finished Job frees a place").containsExactly("ns/d", "ns/e");
        assertThat(queue.admit(snapshot("e", "db-0", 2), running.subList(0, 2), NOW)).isEmpty();
        // two per pod: a second snapshot of db-0 beside a, and a third not
        SnapshotQueue perPod = new SnapshotQueue(new Limits(2, 0));
        assertThat(perPod.admit(snapshot("x", "db-0", 1), running, NOW)).isEmpty();
        assertThat(perPod.admit(snapshot("y", "db-0", 2), running, NOW)).hasValueSatisfying(why ->
                assertThat(why).contains("2 snapshot Jobs of pod ns/db-0 run", "at most 2"));
    }

    @Test
    void aSnapshotDeletedWhileItWaitedLosesItsPlaceAndALostCreateItsReservation() {
        SnapshotQueue queue = new SnapshotQueue(new Limits(1, 0));
        Entry running = snapshot("running", "db-0", 0);
        Entry deleted = snapshot("deleted", "db-0", 1);
        Entry later = snapshot("later", "db-0", 2);
        assertThat(queue.admit(deleted, List.of(running), NOW)).isPresent();
        assertThat(queue.admit(later, List.of(), NOW)).as("behind the deleted one, while it may still come back")
                .isPresent();
        Instant afterForget = NOW.plus(SnapshotQueue.FORGET).plusSeconds(1);
        assertThat(queue.admit(later, List.of(), afterForget)).isEmpty();

        // a reservation whose Job was never created (the create failed) is given up after a while
        SnapshotQueue lost = new SnapshotQueue(new Limits(1, 0));
        assertThat(lost.admit(snapshot("a", "db-0", 1), List.of(), NOW)).isEmpty();
        assertThat(lost.admit(snapshot("b", "db-0", 2), List.of(), NOW.plusSeconds(60))).isPresent();
        assertThat(lost.admit(snapshot("b", "db-0", 2), List.of(),
                NOW.plus(SnapshotQueue.RESERVATION).plus(Duration.ofSeconds(1)))).isEmpty();
    }

    @Test
    void snapshotsAdmittedAtTheSameMomentNeverShareTheLastPlace() throws Exception {
        SnapshotQueue queue = new SnapshotQueue(new Limits(1, 0));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> admitted = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Entry entry = snapshot("s" + i, "db-0", i);
            admitted.add(pool.submit(() -> {
                go.await();
                return queue.admit(entry, List.of(), NOW).isEmpty();
            }));
        }
        go.countDown();
        int started = 0;
        for (Future<Boolean> f : admitted) {
            started += f.get() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(started).isEqualTo(1);
    }

    @Test
    void limitsAreChecked() {
        assertThatThrownBy(() -> new Limits(0, 0)).hasMessageContaining("max-per-pod must be at least 1");
        assertThatThrownBy(() -> new Limits(1, -1)).hasMessageContaining("max-total must be 0");
    }
}
