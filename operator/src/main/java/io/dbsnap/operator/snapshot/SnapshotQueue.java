package io.dbsnap.operator.snapshot;

import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * How many snapshot Jobs run at once: at most {@code perPod} for one database pod (each is a connection and a
 * transaction held open on it, so 100 snapshots of one database never open 100 connections) and at most
 * {@code total} in all (0: no limit). The rest wait, per pod in the order they were created; when a snapshot
 * finishes, {@link #next} names the ones to look at again.
 *
 * <p>What runs is read from the Job informer, which trails the API server by an event and may be read by one
 * reconcile while another creates a Job. So a Job admitted here is also held as a reservation, dropped only when
 * the informer shows that Job finished, when its snapshot finishes ({@link #release}), or after
 * {@link #RESERVATION} (a create that failed): a stale view can only see more running, never less. A waiting
 * snapshot not seen again for {@link #FORGET} (deleted while it waited) loses its place.
 *
 * <p>Restores share it (one instance in the operator, {@link SnapshotQueues}): a restore {@link #claim claims} its
 * target pod before it changes anything, snapshots of the pod then wait but for its own pre-restore snapshot, and
 * it makes its restore Job only once {@link #admittedOn} names no snapshot there. Both sides ask under this one lock.
 */
public final class SnapshotQueue {

    static final Duration RESERVATION = Duration.ofMinutes(2);
    /** Longer than the reconciler's poll of a waiting snapshot. */
    static final Duration FORGET = Duration.ofMinutes(3);

    /**
     * A snapshot that runs or waits: its namespace and name, its uid (a snapshot deleted and made again under its
     * name is another one), its database pod as {@code namespace/pod}, and when it was created.
     */
    public record Entry(ResourceID snapshot, String uid, String pod, Instant created) {
        static final Comparator<Entry> ORDER = Comparator.comparing(Entry::created)
                .thenComparing(e -> e.snapshot().getNamespace().orElse("") + "/" + e.snapshot().getName());
    }

    /** A snapshot Job as the informer shows it. */
    public record SeenJob(Entry entry, boolean finished) {
    }

    public record Limits(int perPod, int total) {
        public Limits {
            if (perPod < 1) {
                throw new IllegalArgumentException("dbsnap.job.max-per-pod (DBSNAP_JOB_MAX_PER_POD) must be at "
                        + "least 1, not " + perPod);
            }
            if (total < 0) {
                throw new IllegalArgumentException("dbsnap.job.max-total (DBSNAP_JOB_MAX_TOTAL) must be 0 (no limit) "
                        + "or more, not " + total);
            }
        }
    }

    private record Held(Entry entry, Instant until) {
    }

    /**
     * A restore about to write into {@code pod} ({@code namespace/pod}): its snapshots wait, all but the restore's own
     * pre-restore snapshot, which is taken first.
     */
    public record Claim(ResourceID restore, String pod, ResourceID preRestoreSnapshot, Instant since) {
        /** Restores into one pod take turns, the oldest first (a restore's creation time, kept across restarts). */
        static final Comparator<Claim> ORDER = Comparator.comparing(Claim::since)
                .thenComparing(c -> c.restore().getNamespace().orElse("") + "/" + c.restore().getName());
    }

    private final Limits limits;
    private final Map<String, Held> reserved = new HashMap<>();
    private final Map<String, Held> waiting = new HashMap<>();
    private final Map<ResourceID, Claim> claims = new HashMap<>();
    private volatile java.util.function.Consumer<List<ResourceID>> waker = ids -> { };

    public SnapshotQueue(Limits limits) {
        this.limits = limits;
    }

    /**
     * Whether {@code candidate} may start its Job now. Empty means start, and its place is reserved; otherwise it
     * waits in line, and the answer says for what (the same words while it waits, so its status is not rewritten).
     */
    public synchronized Optional<String> admit(Entry candidate, Collection<SeenJob> jobs, Instant now) {
        Set<String> finished = new LinkedHashSet<>();
        Map<String, Entry> active = new LinkedHashMap<>();
        for (SeenJob job : jobs) {
            if (job.finished()) {
                finished.add(job.entry().uid());
            } else {
                active.put(job.entry().uid(), job.entry());
            }
        }
        reserved.values().removeIf(held -> finished.contains(held.entry().uid()) || held.until().isBefore(now));
        waiting.values().removeIf(held -> held.until().isBefore(now));
        reserved.values().forEach(held -> active.putIfAbsent(held.entry().uid(), held.entry()));
        // under the same lock as a restore's claim and its look at admittedOn: one of the two waits for the other.
        // Asked before its Job exists, an admitted snapshot is held too once a restore has claimed its pod.
        Optional<Claim> holder = holder(candidate.pod());
        if (holder.isPresent() && !candidate.snapshot().equals(holder.get().preRestoreSnapshot())) {
            return hold(candidate, claimed(holder.get(), candidate.pod()), now);
        }
        if (active.containsKey(candidate.uid())) {
            waiting.remove(candidate.uid());
            // asked again (its Job's create failed, or is under way): its place is kept a while longer
            reserved.put(candidate.uid(), new Held(candidate, now.plus(RESERVATION)));
            return Optional.empty();
        }
        Optional<String> wait = reason(candidate, active.values(), holder.isPresent());
        if (wait.isEmpty()) {
            waiting.remove(candidate.uid());
            reserved.put(candidate.uid(), new Held(candidate, now.plus(RESERVATION)));
        } else {
            waiting.put(candidate.uid(), new Held(candidate, now.plus(FORGET)));
        }
        return wait;
    }

    /**
     * {@code candidate} may not start for a reason outside the queue ({@code why}, e.g. a restore writing into its
     * pod): it waits in line, keeping its place, and is named by {@link #next} once its pod's Jobs change.
     */
    public synchronized Optional<String> hold(Entry candidate, String why, Instant now) {
        reserved.remove(candidate.uid());
        waiting.put(candidate.uid(), new Held(candidate, now.plus(FORGET)));
        return Optional.of(why);
    }

    /**
     * Which waiting snapshots to look at again now that a Job of {@code pod} finished: the
     * oldest that could take its place, not every one, so a long line is not woken (and rewritten) at each turn.
     */
    public synchronized List<ResourceID> next(String pod) {
        Stream<Entry> preRestore = holder(pod).map(Claim::preRestoreSnapshot).stream().flatMap(id -> waiting.values()
                .stream().map(Held::entry).filter(e -> e.snapshot().equals(id)));
        Stream<Entry> samePod = waiting.values().stream().map(Held::entry).filter(e -> e.pod().equals(pod))
                .sorted(Entry.ORDER).limit(limits.perPod());
        Stream<Entry> any = limits.total() == 0 ? Stream.empty()
                : waiting.values().stream().map(Held::entry).sorted(Entry.ORDER).limit(limits.total());
        return Stream.concat(preRestore, Stream.concat(samePod, any)).map(Entry::snapshot).distinct().toList();
    }

    /** Who is told to look again at waiting snapshots once a claim is given up (the snapshot reconciler). */
    public void wakeWith(java.util.function.Consumer<List<ResourceID>> waker) {
        this.waker = waker;
    }

    /**
     * Made, or made again (the same restore's claim replaces its last), before the restore changes anything. Answers
     * the older restore's claim of the same pod, if there is one: this restore then waits for that one to finish.
     */
    public synchronized Optional<Claim> claim(Claim claim) {
        claims.put(claim.restore(), claim);
        return holder(claim.pod()).filter(first -> !first.restore().equals(claim.restore()));
    }

    /** The claim snapshots of {@code pod} wait for: the oldest restore's. */
    private Optional<Claim> holder(String pod) {
        return claims.values().stream().filter(c -> c.pod().equals(pod)).min(Claim.ORDER);
    }

    private static String claimed(Claim claim, String pod) {
        return "waiting for SnapshotRestore " + claim.restore().getName() + ", which restores pod " + pod
                + " (its own pre-restore snapshot goes first): a snapshot taken meanwhile would hold a half-restored "
                + "database";
    }

    /** The restores that have claimed {@code pod}. */
    public synchronized List<Claim> claimsOn(String pod) {
        return claims.values().stream().filter(c -> c.pod().equals(pod)).toList();
    }

    /** The restore finished, or is gone: the snapshots that waited for it are looked at again. */
    public void unclaim(ResourceID restore) {
        List<ResourceID> next;
        synchronized (this) {
            Claim claim = claims.remove(restore);
            next = claim == null ? List.of() : next(claim.pod());
        }
        if (!next.isEmpty()) {
            waker.accept(next);
        }
    }

    /** Snapshots of {@code pod} admitted here whose Jobs are not yet known to have finished. */
    public synchronized List<Entry> admittedOn(String pod, Instant now) {
        return reserved.values().stream().filter(held -> !held.until().isBefore(now)).map(Held::entry)
                .filter(e -> e.pod().equals(pod)).toList();
    }

    /** The snapshot has its result, or failed before its Job: it neither waits nor holds a place here. */
    public synchronized void release(String uid) {
        reserved.remove(uid);
        waiting.remove(uid);
    }

    /** A restore's pre-restore snapshot ({@code preRestore}) waits for running Jobs only, not in the line. */
    private Optional<String> reason(Entry candidate, Collection<Entry> active, boolean preRestore) {
        long onPod = active.stream().filter(e -> e.pod().equals(candidate.pod())).count();
        long ahead = preRestore ? 0 : waiting.values().stream().map(Held::entry).filter(e -> e.pod().equals(candidate.pod())
                && !e.uid().equals(candidate.uid()) && Entry.ORDER.compare(e, candidate) < 0).count();
        if (onPod + ahead >= limits.perPod()) {
            return Optional.of("waiting for a place: at most " + limits.perPod() + " snapshot Job"
                    + (limits.perPod() == 1 ? "" : "s") + " at a time read pod " + candidate.pod()
                    + ", in the order the snapshots were created (the operator's dbsnap.job.max-per-pod, "
                    + "Helm value jobs.maxPerPod)");
        }
        if (limits.total() > 0 && active.size() >= limits.total()) {
            return Optional.of("waiting for a place: at most " + limits.total() + " snapshot Jobs run at once "
                    + "(the operator's dbsnap.job.max-total, Helm value jobs.maxTotal)");
        }
        return Optional.empty();
    }
}
