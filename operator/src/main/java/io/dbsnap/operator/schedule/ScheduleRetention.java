package io.dbsnap.operator.schedule;

import io.dbsnap.api.v1alpha1.common.JobPhase;
import io.dbsnap.api.v1alpha1.schedule.RetentionPolicy;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.core.catalog.Retention;
import io.dbsnap.core.catalog.RetentionRules;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
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

    public static Retention.Plan plan(List<DatabaseSnapshot> snapshots, RetentionPolicy policy, ZoneId zone,
                                      Set<String> usedByRestores, Optional<Instant> next, Instant now) {
        List<Retention.Candidate> candidates = new ArrayList<>();
        for (DatabaseSnapshot s : snapshots) {
            if (!ScheduledSnapshots.phase(s).isFinal() || s.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            candidates.add(new Retention.Candidate(s.getMetadata().getName(), ScheduledSnapshots.takenAt(s),
                    ScheduledSnapshots.phase(s) == JobPhase.Succeeded,
                    ScheduledSnapshots.pinned(s) || usedByRestores.contains(s.getMetadata().getName())));
        }
        next.ifPresent(at -> candidates.add(new Retention.Candidate(NEXT, at, true, false)));
        return Retention.plan(candidates, rules(policy), zone, now);
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
