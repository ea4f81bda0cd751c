package io.dbsnap.operator.schedule;

import io.dbsnap.api.v1alpha1.common.JobPhase;
import io.dbsnap.api.v1alpha1.common.SnapshotSource;
import io.dbsnap.api.v1alpha1.schedule.RetentionPolicy;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.core.catalog.Retention;
import io.dbsnap.core.catalog.RetentionRules;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A schedule's retention policy over its own finished snapshots, through the same function as
 * {@code dbsnap prune}. Running snapshots and those already being deleted are not candidates; a
 * snapshot labelled {@code dbsnap.io/keep: "true"} or named by a running restore is pinned.
 */
public final class ScheduleRetention {

    /** The name a not-yet-taken snapshot goes by when asking what it would push out. */
    static final String NEXT = "\0next";

    private ScheduleRetention() {
    }

    public static RetentionRules rules(RetentionPolicy policy) {
        return new RetentionRules(n(policy.getKeepLast()), n(policy.getKeepHourly()), n(policy.getKeepDaily()),
                n(policy.getKeepWeekly()), n(policy.getKeepMonthly()), n(policy.getKeepYearly()),
                Optional.ofNullable(policy.getMaxAge()).map(ScheduleRetention::age),
                policy.getKeepFailed() == null ? 1 : policy.getKeepFailed());
    }

    /**
     * The verdicts on a schedule's finished snapshots, each database they hold planned apart (a template
     * repointed at another database must not let the old one's last snapshots go); {@code next}, a
     * snapshot not yet taken of {@code nextSource}, asks what it would push out.
     */
    public static Retention.Plan plan(List<DatabaseSnapshot> snapshots, RetentionPolicy policy, ZoneId zone,
                                      Set<String> pinnedByRestores, Optional<Instant> next, SnapshotSource nextSource,
                                      Instant now) {
        Map<String, List<Retention.Candidate>> bySource = new LinkedHashMap<>();
        for (DatabaseSnapshot s : snapshots) {
            if (!ScheduledSnapshots.phase(s).isFinal() || s.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            // dated by its slot: when it was taken, not when the operator saw it finish
            bySource.computeIfAbsent(sourceKey(s.getSpec() == null ? null : s.getSpec().getSource()),
                    k -> new ArrayList<>()).add(new Retention.Candidate(s.getMetadata().getName(),
                    ScheduledSnapshots.takenAt(s), ScheduledSnapshots.phase(s) == JobPhase.Succeeded,
                    ScheduledSnapshots.pinned(s) || pinnedByRestores.contains(s.getMetadata().getName())));
        }
        next.ifPresent(at -> bySource.computeIfAbsent(sourceKey(nextSource), k -> new ArrayList<>())
                .add(new Retention.Candidate(NEXT, at, true, false)));
        List<Retention.Verdict> verdicts = new ArrayList<>();
        RetentionRules rules = rules(policy);
        bySource.values().forEach(group -> verdicts.addAll(Retention.plan(group, rules, zone, now).verdicts()));
        return new Retention.Plan(verdicts);
    }

    /** Which database a snapshot is of, as its spec names it: the pod (or selector), container, database, path. */
    static String sourceKey(SnapshotSource source) {
        if (source == null) {
            return "";
        }
        return String.join("\n", String.valueOf(source.getEngine()), String.valueOf(source.getPod()),
                String.valueOf(source.getDatabase()), String.valueOf(source.getPath()));
    }

    /** 36h, 400d, 8w (the CRD's pattern). */
    static Duration age(String text) {
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            case 'w' -> Duration.ofDays(7 * n);
            default -> throw new IllegalArgumentException("maxAge " + text + " is not a number of hours, days or weeks");
        };
    }

    private static int n(Integer value) {
        return value == null ? 0 : value;
    }
}
