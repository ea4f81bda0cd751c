package io.dbsnap.operator.snapshot;

import io.dbsnap.operator.snapshot.SnapshotQueue.Entry;
import io.dbsnap.operator.snapshot.SnapshotQueue.Limits;
import io.dbsnap.operator.snapshot.SnapshotQueue.SeenJob;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
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
        return new Entry(id(name), "uid-" + name, "ns/" + pod, NOW.minusSeconds(1000 - createdSecond));
    }

    private static ResourceID id(String name) {
        return new ResourceID(name, "ns");
    }

    private static List<SeenJob> running(Entry... entries) {
        return java.util.Arrays.stream(entries).map(e -> new SeenJob(e, false)).toList();
    }

    private static List<SeenJob> finished(Entry... entries) {
        return java.util.Arrays.stream(entries).map(e -> new SeenJob(e, true)).toList();
    }

    @Test
    void onePerPodByDefaultAndOtherPodsAreNotHeldBack() {
        SnapshotQueue queue = new SnapshotQueue(new Limits(1, 0));
        Entry a = snapshot("a", "db-0", 1);
        assertThat(queue.admit(a, List.of(), NOW)).isEmpty();
        // the informer has not shown a's Job yet: its reservation holds the place
        Optional<String> b = queue.admit(snapshot("b", "db-0", 2), List.of(), NOW);
        assertThat(b).hasValueSatisfying(why -> assertThat(why).contains("at most 1 snapshot Job at a time",
                "pod ns/db-0", "jobs.maxPerPod"));
        assertThat(queue.admit(snapshot("c", "db-1", 3), List.of(), NOW)).as("another pod").isEmpty();
        // asked again, an admitted snapshot is still admitted (its Job may not be in the informer yet)
        assertThat(queue.admit(a, List.of(), NOW)).isEmpty();
        // a view that does not show a's Job (read before it was made) still cannot start b
        assertThat(queue.admit(snapshot("b", "db-0", 2), running(snapshot("c", "db-1", 3)), NOW)).isPresent();
        // a's Job finished: b goes, even before a's snapshot is told
        assertThat(queue.admit(snapshot("b", "db-0", 2), finished(a), NOW)).isEmpty();
    }

    @Test
    void aSnapshotHeldBackFromOutsideKeepsItsPlaceAndIsNamedWhenItsPodChanges() {
        SnapshotQueue queue = new SnapshotQueue(new Limits(1, 0));
        Entry older = snapshot("older", "db-0", 1);
        Entry newer = snapshot("newer", "db-0", 2);
        // admitted once (its Job's create failed), then a restore began writing into db-0
        assertThat(queue.admit(older, List.of(), NOW)).isEmpty();
        assertThat(queue.hold(older, "a restore writes", NOW)).hasValue("a restore writes");
        assertThat(queue.hold(newer, "a restore writes", NOW)).hasValue("a restore writes");
        assertThat(queue.next("ns/db-0")).as("its reservation went with the hold").containsExactly(id("older"));
        // the restore ended: the newer one, looked at first, still waits behind the older one
        assertThat(queue.admit(newer, List.of(), NOW)).isPresent();
        assertThat(queue.admit(older, List.of(), NOW)).isEmpty();
        assertThat(queue.admit(newer, List.of(), NOW)).isPresent();
    }

    private static SnapshotQueue.Claim claim(String restore, String pod, int sinceSecond) {
        return new SnapshotQueue.Claim(id(restore), "ns/" + pod, id(restore + "-pre-restore"), NOW.minusSeconds(1000 - sinceSecond));
    }

    @Test
    void aRestoresClaimHoldsBackEverySnapshotOfItsPodButItsOwnPreRestoreSnapshotAndWakesThemWhenGivenUp() {
        SnapshotQueue queue = new SnapshotQueue(new Limits(1, 0));
        List<List<ResourceID>> woken = new ArrayList<>();
        queue.wakeWith(woken::add);
        // a snapshot runs; an older one than the restore's own waits behind it
        Entry running = snapshot("running", "db-0", 0);
        assertThat(queue.admit(running, List.of(), NOW)).isEmpty();
        Entry older = snapshot("older", "db-0", 1);
        assertThat(queue.admit(older, List.of(), NOW)).hasValueSatisfying(why -> assertThat(why).contains("at most 1"));
        assertThat(queue.claim(claim("back", "db-0", 2))).as("no other restore claims db-0").isEmpty();

        Entry own = snapshot("back-pre-restore", "db-0", 3);
        assertThat(queue.admit(own, List.of(), NOW)).as("its own waits for the running Job").isPresent();
        assertThat(queue.admit(older, finished(running), NOW)).as("the older one waits for the restore")
                .hasValueSatisfying(why -> assertThat(why).contains("SnapshotRestore back, which restores pod ns/db-0",
                        "half-restored"));
        assertThat(queue.next("ns/db-0")).as("its own is looked at first").startsWith(id("back-pre-restore"));
        assertThat(queue.admit(own, finished(running), NOW)).as("not behind the older one the claim holds").isEmpty();
        assertThat(queue.admit(snapshot("other", "db-1", 4), List.of(), NOW)).as("another pod").isEmpty();
        assertThat(queue.admittedOn("ns/db-0", NOW)).extracting(Entry::snapshot).containsExactly(id("back-pre-restore"));
        // asked again before its Job exists (a failed create), an admitted snapshot is held once a claim came
        Entry admitted = snapshot("admitted", "db-2", 5);
        assertThat(queue.admit(admitted, List.of(), NOW)).isEmpty();
        queue.claim(claim("late", "db-2", 6));
        assertThat(queue.admit(admitted, List.of(), NOW)).isPresent();
        assertThat(queue.admittedOn("ns/db-2", NOW)).as("its place went with the hold").isEmpty();

        queue.unclaim(id("back"));
        assertThat(woken).singleElement().satisfies(ids -> assertThat(ids).contains(id("older")));
        queue.unclaim(id("back"));
        assertThat(woken).as("given up once").hasSize(1);
        assertThat(queue.admit(older, finished(running, snapshot("back-pre-restore", "db-0", 3)), NOW)).isEmpty();
    }

    @Test
    void restoresIntoOnePodTakeTurnsOldestFirstAndOnlyTheFirstOnesPreRestoreSnapshotGoes() {
        SnapshotQueue queue = new SnapshotQueue(new Limits(1, 0));
        assertThat(queue.claim(claim("second", "db-0", 2))).isEmpty();
        assertThat(queue.claim(claim("first", "db-0", 1))).as("older: it goes first").isEmpty();
        assertThat(queue.claim(claim("second", "db-0", 2))).hasValueSatisfying(c ->
                assertThat(c.restore()).isEqualTo(id("first")));
        assertThat(queue.admit(snapshot("second-pre-restore", "db-0", 3), List.of(), NOW))
                .hasValueSatisfying(why -> assertThat(why).contains("SnapshotRestore first"));
        assertThat(queue.admit(snapshot("first-pre-restore", "db-0", 4), List.of(), NOW)).isEmpty();
        queue.unclaim(id("first"));
        assertThat(queue.claim(claim("second", "db-0", 2))).isEmpty();
    }

    @Test
    void theWordsStayTheSameWhileASnapshotWaits() {
        SnapshotQueue queue = new SnapshotQueue(new Limits(1, 0));
        Entry first = snapshot("first", "db-0", 0);
        Entry last = snapshot("last", "db-0", 9);
        String alone = queue.admit(last, running(first), NOW).orElseThrow();
        for (int i = 1; i < 5; i++) {
            queue.admit(snapshot("mid" + i, "db-0", i), running(first), NOW);
        }
        assertThat(queue.admit(last, running(first), NOW)).contains(alone);
    }

    @Test
    void waitingSnapshotsStartInTheOrderTheyWereCreated() {
        SnapshotQueue queue = new SnapshotQueue(new Limits(1, 0));
        Entry first = snapshot("first", "db-0", 0);
        Entry older = snapshot("older", "db-0", 1);
        Entry newer = snapshot("newer", "db-0", 2);
        Entry elsewhere = snapshot("elsewhere", "db-1", 0);
        assertThat(queue.admit(newer, running(first), NOW)).isPresent();
        assertThat(queue.admit(older, running(first), NOW)).isPresent();
        assertThat(queue.admit(elsewhere, running(snapshot("busy", "db-1", 0)), NOW)).isPresent();
        // only the oldest that could take the place is woken, not the whole line
        assertThat(queue.next("ns/db-0")).containsExactly(id("older"));
        assertThat(queue.next("ns/db-2")).isEmpty();

        // first's Job finished; the newer one is looked at first, and still waits for the older
        assertThat(queue.admit(newer, finished(first), NOW)).isPresent();
        assertThat(queue.admit(older, finished(first), NOW)).isEmpty();
        assertThat(queue.admit(newer, running(older), NOW)).isPresent();
        queue.release(older.uid());
        assertThat(queue.next("ns/db-0")).containsExactly(id("newer"));
        assertThat(queue.admit(newer, List.of(), NOW)).isEmpty();
        assertThat(queue.next("ns/db-0")).isEmpty();
    }

    @Test
    void aSnapshotMadeAgainUnderTheSameNameIsAnotherOne() {
        SnapshotQueue queue = new SnapshotQueue(new Limits(1, 0));
        Entry old = snapshot("nightly", "db-0", 0);
        Entry again = new Entry(id("nightly"), "uid-nightly-2", "ns/db-0", NOW);
        assertThat(queue.admit(again, running(old), NOW)).as("the old one's Job still runs").isPresent();
    }

    @Test
    void aTotalLimitHoldsBackEveryPodAndWakesTheOldest() {
        SnapshotQueue queue = new SnapshotQueue(new Limits(2, 3));
        List<SeenJob> three = running(snapshot("a", "db-0", 0), snapshot("b", "db-1", 0), snapshot("c", "db-2", 0));
        assertThat(queue.admit(snapshot("d", "db-3", 1), three, NOW)).hasValueSatisfying(why ->
                assertThat(why).contains("at most 3 snapshot Jobs run at once", "dbsnap.job.max-total"));
        assertThat(queue.admit(snapshot("e", "db-0", 2), three, NOW)).isPresent();
        assertThat(queue.next("ns/db-2")).as("any finished Job frees a place").containsExactly(id("d"), id("e"));
        assertThat(queue.admit(snapshot("e", "db-0", 2), three.subList(0, 2), NOW)).isEmpty();
        // two per pod: a second snapshot of db-0 beside a, and a third not
        SnapshotQueue perPod = new SnapshotQueue(new Limits(2, 0));
        assertThat(perPod.admit(snapshot("x", "db-0", 1), three, NOW)).isEmpty();
        assertThat(perPod.admit(snapshot("y", "db-0", 2), three, NOW)).hasValueSatisfying(why ->
                assertThat(why).contains("at most 2 snapshot Jobs at a time", "pod ns/db-0"));
    }

    @Test
    void aSnapshotDeletedWhileItWaitedLosesItsPlaceAndALostCreateItsReservation() {
        SnapshotQueue queue = new SnapshotQueue(new Limits(1, 0));
        Entry first = snapshot("first", "db-0", 0);
        Entry deleted = snapshot("deleted", "db-0", 1);
        Entry later = snapshot("later", "db-0", 2);
        assertThat(queue.admit(deleted, running(first), NOW)).isPresent();
        assertThat(queue.admit(later, finished(first), NOW)).as("behind the deleted one, while it may still come back")
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
        assertThatThrownBy(() -> new Limits(0, 0)).hasMessageContaining("max-per-pod (DBSNAP_JOB_MAX_PER_POD) must be at least 1");
        assertThatThrownBy(() -> new Limits(1, -1)).hasMessageContaining("max-total (DBSNAP_JOB_MAX_TOTAL) must be 0");
    }
}
