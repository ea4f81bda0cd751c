package io.dbsnap.operator.schedule;

import io.dbsnap.api.v1alpha1.common.SnapshotSource;
import io.dbsnap.api.v1alpha1.restore.SnapshotRestore;
import io.dbsnap.api.v1alpha1.schedule.SnapshotSchedule;
import io.dbsnap.operator.restore.RestoreStatuses;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Restores that are writing into the database a schedule snapshots: while one runs, a slot is
 * skipped (RestoreInProgress) rather than snapshotting a half-restored database.
 */
public final class RestoresInto {

    private RestoresInto() {
    }

    /** The running restores of {@code restores} whose target is {@code schedule}'s source. */
    public static List<String> running(SnapshotSchedule schedule, Collection<SnapshotRestore> restores,
                                       Set<String> scheduleSnapshots) {
        SnapshotSource source = schedule.getSpec().getSnapshotTemplate().getSpec().getSource();
        return restores.stream()
                .filter(r -> r.getSpec() != null && !RestoreStatuses.phaseOf(r.getStatus()).isFinal())
                .filter(r -> r.getSpec().getTarget() != null ? sameDatabase(r.getSpec().getTarget(), source)
                        // no target: into the snapshot's own source, which for this schedule's snapshots is this one
                        : fromThisSchedule(r, schedule, scheduleSnapshots))
                .map(r -> r.getMetadata().getName()).toList();
    }

    private static boolean fromThisSchedule(SnapshotRestore restore, SnapshotSchedule schedule, Set<String> snapshots) {
        var from = restore.getSpec().getSource();
        if (from == null) {
            return false;
        }
        return Optional.ofNullable(from.getScheduleRef()).map(ref -> schedule.getMetadata().getName()
                .equals(ref.getName())).orElse(false)
                || Optional.ofNullable(from.getSnapshotRef()).map(ref -> snapshots.contains(ref.getName())).orElse(false);
    }

    /** The same pod (by name or by selector) and database; a difference in either is another target. */
    static boolean sameDatabase(SnapshotSource a, SnapshotSource b) {
        if (a == null || b == null || a.getPod() == null || b.getPod() == null) {
            return false;
        }
        return Objects.equals(a.getPod().getName(), b.getPod().getName())
                && Objects.equals(a.getPod().getSelector(), b.getPod().getSelector())
                && Objects.equals(a.getDatabase(), b.getDatabase()) && Objects.equals(a.getPath(), b.getPath());
    }
}
