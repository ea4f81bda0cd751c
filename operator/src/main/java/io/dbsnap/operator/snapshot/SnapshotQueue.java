package io.dbsnap.operator.snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How many snapshot Jobs run at once: at most {@code perPod} for one database pod (each is a connection and a
 * transaction held open on it, so 100 snapshots of one database never open 100 connections) and at most
 * {@code total} in all (0: no limit). The rest wait, per pod in the order they were created, and are woken when a
 * Job of their pod finishes ({@link #waitingFor}).
 *
 * <p>What runs is read from the Job informer, which trails the API server by an event; Jobs admitted here that the
 * informer does not show yet are held as reservations, so two snapshots admitted at the same moment cannot both take
 * the last place. A waiting snapshot that is not seen again for {@link #FORGET} (deleted while it waited) loses its
 * place, so it cannot hold back the ones behind it.
 */
public final class SnapshotQueue {

    /** A reservation is kept until the informer shows the Job, or this long if it never does (a failed create). */
    static final Duration RESERVATION = Duration.ofMinutes(2);
    /** Longer than the reconciler's poll of a waiting snapshot. */
    static final Duration FORGET = Duration.ofMinutes(3);

    /** A snapshot that runs or waits: its {@code namespace/name}, its database pod's {@code namespace/pod}. */
    public record Entry(String snapshot, String pod, Instant created) {
        static final Comparator<Entry> ORDER = Comparator.comparing(Entry::created).thenComparing(Entry::snapshot);
    }

    public record Limits(int perPod, int total) {
        public Limits {
            if (perPod < 1) {
                throw new IllegalArgumentException("dbsnap.job.max-per-pod must be at least 1, not " + perPod);
            }
            if (total < 0) {
                throw new IllegalArgumentException("dbsnap.job.max-total must be 0 (no limit) or more, not " + total);
            }
        }
    }

    private record Held(Entry entry, Instant until) {
    }

    private final Limits limits;
    private final Map<String, Held> reserved = new HashMap<>();
    private final Map<String, Held> waiting = new HashMap<>();

    public SnapshotQueue(Limits limits) {
        this.limits = limits;
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Whether {@code candidate} may start its Job now. Empty means start, and its place is reserved until the
     * informer shows the Job; otherwise it waits in line, and the answer says why, for its status.
     *
     * @param running the snapshots whose Jobs the informer shows unfinished
     */
    public synchronized Optional<String> admit(Entry candidate, Collection<Entry> running, Instant now) {
        Map<String, Entry> active = new LinkedHashMap<>();
        running.forEach(entry -> active.put(entry.snapshot(), entry));
        reserved.values().removeIf(held -> active.containsKey(held.entry().snapshot()) || held.until().isBefore(now));
        waiting.values().removeIf(held -> held.until().isBefore(now));
        reserved.values().forEach(held -> active.putIfAbsent(held.entry().snapshot(), held.entry()));
        if (active.containsKey(candidate.snapshot())) {
            waiting.remove(candidate.snapshot());
            return Optional.empty();
        }
        Optional<String> wait = reason(candidate, active.values());
        if (wait.isEmpty()) {
            waiting.remove(candidate.snapshot());
            reserved.put(candidate.snapshot(), new Held(candidate, now.plus(RESERVATION)));
        } else {
            waiting.put(candidate.snapshot(), new Held(candidate, now.plus(FORGET)));
        }
        return wait;
    }

    /** The snapshots to look at again when a Job of {@code pod} finishes: those waiting for it, or for any Job. */
    public synchronized List<String> waitingFor(String pod) {
        return waiting.values().stream().map(Held::entry)
                .filter(entry -> limits.total() > 0 || entry.pod().equals(pod))
                .sorted(Entry.ORDER).map(Entry::snapshot).toList();
    }

    /** The snapshot has its result, or failed before its Job: it neither waits nor holds a place here. */
    public synchronized void release(String snapshot) {
        reserved.remove(snapshot);
        waiting.remove(snapshot);
    }

    private Optional<String> reason(Entry candidate, Collection<Entry> active) {
        long onPod = active.stream().filter(e -> e.pod().equals(candidate.pod())).count();
        long ahead = waiting.values().stream().map(Held::entry).filter(e -> e.pod().equals(candidate.pod())
                && !e.snapshot().equals(candidate.snapshot()) && Entry.ORDER.compare(e, candidate) < 0).count();
        if (onPod + ahead >= limits.perPod()) {
            return Optional.of(count(onPod, "snapshot Job") + " of pod " + candidate.pod() + " "
                    + (onPod == 1 ? "runs" : "run") + (ahead > 0 ? " and " + count(ahead, "older snapshot")
                    + " " + (ahead == 1 ? "waits" : "wait") + " before this one" : "") + "; at most " + limits.perPod()
                    + " at a time per pod (the operator's dbsnap.job.max-per-pod, Helm value jobs.maxPerPod)");
        }
        if (limits.total() > 0 && active.size() >= limits.total()) {
            return Optional.of(count(active.size(), "snapshot Job") + " run, the most the operator runs at once "
                    + "(dbsnap.job.max-total, Helm value jobs.maxTotal)");
        }
        return Optional.empty();
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
