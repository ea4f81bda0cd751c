package io.dbsnap.core.catalog;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Which snapshots a retention policy keeps and which it lets go: one function for a schedule's
 * snapshots in the operator and for {@code dbsnap prune}. Only Succeeded snapshots count towards
 * the rules, so failed runs never push a good snapshot out; the newest Succeeded snapshot and pinned
 * ones are never let go; a snapshot dated in the future (a writer's fast clock) is kept and counts
 * for nothing.
 */
public final class Retention {

    /** With the offset: the hour a clock turned back repeats is two hours, not one. */
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:00xxx");

    private Retention() {
    }

    /** A snapshot as retention sees it. {@code succeeded} false: it failed (running ones are never candidates). */
    public record Candidate(String id, Instant takenAt, boolean succeeded, boolean pinned) {
    }

    /** One snapshot's verdict, with every reason it is kept (empty when it goes) or why it goes. */
    public record Verdict(String id, boolean keep, List<String> reasons) {
    }

    /** The verdicts, newest first. */
    public record Plan(List<Verdict> verdicts) {
        public List<String> kept() {
            return verdicts.stream().filter(Verdict::keep).map(Verdict::id).toList();
        }

        public List<String> deleted() {
            return verdicts.stream().filter(v -> !v.keep()).map(Verdict::id).toList();
        }
    }

    public static Plan plan(List<Candidate> candidates, RetentionRules rules, ZoneId zone, Instant now) {
        Map<String, List<String>> keptFor = new LinkedHashMap<>();
        Map<String, String> goesFor = new LinkedHashMap<>();
        List<Candidate> newestFirst = candidates.stream().sorted(Comparator.comparing(Candidate::takenAt)
                .thenComparing(Candidate::id).reversed()).toList();
        newestFirst.forEach(c -> keptFor.put(c.id(), new ArrayList<>()));
        Instant future = now.plus(SnapshotEntry.CLOCK_SKEW);
        List<Candidate> succeeded = newestFirst.stream().filter(c -> c.succeeded() && !c.takenAt().isAfter(future))
                .toList();

        if (rules.hasKeepRule()) {
            keepNewestPerPeriod(succeeded, rules.keepLast(), "last", Candidate::id, keptFor);
            keepNewestPerPeriod(succeeded, rules.keepHourly(), "hourly", c -> HOUR.format(at(c, zone)), keptFor);
            keepNewestPerPeriod(succeeded, rules.keepDaily(), "daily", c -> at(c, zone).toLocalDate().toString(), keptFor);
            keepNewestPerPeriod(succeeded, rules.keepWeekly(), "weekly", c -> isoWeek(at(c, zone)), keptFor);
            keepNewestPerPeriod(succeeded, rules.keepMonthly(), "monthly", c -> at(c, zone).getYear() + "-"
                    + String.format("%02d", at(c, zone).getMonthValue()), keptFor);
            keepNewestPerPeriod(succeeded, rules.keepYearly(), "yearly", c -> String.valueOf(at(c, zone).getYear()),
                    keptFor);
        } else {
            succeeded.forEach(c -> keptFor.get(c.id()).add("no keep rule"));
        }
        // counted back from the newest Succeeded, as restic's --keep-within: a clock that jumps ahead, or snapshots
        // that stopped succeeding weeks ago, do not let the history go
        Instant newest = succeeded.isEmpty() || succeeded.get(0).takenAt().isAfter(now) ? now
                : succeeded.get(0).takenAt();
        rules.maxAge().ifPresent(age -> succeeded.stream().filter(c -> c.takenAt().isBefore(newest.minus(age)))
                .forEach(c -> {
                    if (!keptFor.get(c.id()).isEmpty()) {
                        goesFor.put(c.id(), "older than max age before the newest Succeeded, though kept by "
                                + String.join(", ", keptFor.get(c.id())));
                    }
                    keptFor.get(c.id()).clear();
                }));
        if (!succeeded.isEmpty()) {
            keptFor.get(succeeded.get(0).id()).add(0, "newest Succeeded");
        }
        newestFirst.stream().filter(Candidate::succeeded).filter(c -> c.takenAt().isAfter(future))
                .forEach(c -> keptFor.get(c.id()).add("dated in the future"));
        newestFirst.stream().filter(c -> !c.succeeded()).limit(rules.keepFailed())
                .forEach(c -> keptFor.get(c.id()).add("failed, kept for inspection"));
        newestFirst.stream().filter(Candidate::pinned).forEach(c -> keptFor.get(c.id()).add("pinned"));

        List<Verdict> verdicts = new ArrayList<>();
        for (Candidate c : newestFirst) {
            List<String> reasons = keptFor.get(c.id());
            verdicts.add(reasons.isEmpty()
                    ? new Verdict(c.id(), false, List.of(goesFor.getOrDefault(c.id(), c.succeeded()
                    ? "kept by no rule" : "failed, beyond keepFailed")))
                    : new Verdict(c.id(), true, List.copyOf(reasons)));
        }
        return new Plan(verdicts);
    }

    /** A plan for the snapshots of one database in a store, {@code source} as people read it. */
    public record SourcePlan(String source, List<SnapshotEntry> entries, Plan plan) {
        /** The entries the plan lets go, oldest first. */
        public List<SnapshotEntry> expired() {
            List<String> gone = plan.deleted();
            return entries.stream().filter(e -> gone.contains(e.id())).sorted(SnapshotEntry.OLDEST_FIRST).toList();
        }

        public List<String> reasons(SnapshotEntry entry) {
            return plan.verdicts().stream().filter(v -> v.id().equals(entry.id())).findFirst()
                    .map(Verdict::reasons).orElse(List.of());
        }
    }

    /**
     * The snapshots of a store, grouped by the exact database they hold (never by folder name alone)
     * and with a restore's safety snapshots apart from the ones they guard, each group planned alone.
     */
    public static List<SourcePlan> planBySource(List<SnapshotEntry> entries, RetentionRules rules, ZoneId zone,
                                                Instant now) {
        Map<String, List<SnapshotEntry>> bySource = new LinkedHashMap<>();
        entries.forEach(e -> bySource.computeIfAbsent(e.identity() + (e.isPreRestore() ? " (pre-restore)" : ""),
                k -> new ArrayList<>()).add(e));
        List<SourcePlan> plans = new ArrayList<>();
        bySource.forEach((key, group) -> plans.add(new SourcePlan(group.get(0).sourceKey()
                + (group.get(0).isPreRestore() ? " (pre-restore)" : ""), group, plan(group.stream()
                .map(e -> new Candidate(e.id(), e.manifest().createdAt(), true, false)).toList(), rules, zone, now))));
        return plans;
    }

    /** What {@link #planBySource} lets go, oldest first. */
    public static List<SnapshotEntry> expired(List<SnapshotEntry> entries, RetentionRules rules, ZoneId zone,
                                              Instant now) {
        return planBySource(entries, rules, zone, now).stream().flatMap(p -> p.expired().stream())
                .sorted(SnapshotEntry.OLDEST_FIRST).toList();
    }

    private static void keepNewestPerPeriod(List<Candidate> newestFirst, int n, String rule,
                                            Function<Candidate, String> period, Map<String, List<String>> keptFor) {
        String last = null;
        int kept = 0;
        for (Candidate c : newestFirst) {
            if (kept >= n) {
                return;
            }
            String p = period.apply(c);
            if (!p.equals(last)) {
                keptFor.get(c.id()).add(rule.equals("last") ? "last " + (kept + 1) : rule + " " + p);
                kept++;
                last = p;
            }
        }
    }

    private static ZonedDateTime at(Candidate c, ZoneId zone) {
        return c.takenAt().atZone(zone);
    }

    private static String isoWeek(ZonedDateTime at) {
        return at.get(IsoFields.WEEK_BASED_YEAR) + "-W" + String.format("%02d", at.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }
}
