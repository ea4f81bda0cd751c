package io.dbsnap.operator.restore;

import io.dbsnap.api.v1alpha1.common.JobPhase;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.operator.common.KubernetesNames;
import io.dbsnap.operator.job.JobStatuses;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * "Restore last night's": of the snapshots a schedule took (labelled with its name), the newest that
 * Succeeded and completed at or before a time. Failed, running and foreign snapshots never count; a
 * snapshot whose completion time cannot be read is skipped rather than guessed.
 */
public final class ScheduleSnapshots {

    private ScheduleSnapshots() {
    }

    public static Optional<DatabaseSnapshot> newest(List<DatabaseSnapshot> snapshots, String schedule, Instant before) {
        return snapshots.stream()
                .filter(s -> s.getMetadata().getLabels() != null
                        && KubernetesNames.labelValue(schedule).equals(s.getMetadata().getLabels()
                        .get(DatabaseSnapshot.LABEL_SCHEDULE)))
                .filter(s -> JobStatuses.phaseOf(s.getStatus()) == JobPhase.Succeeded && !s.isMarkedForDeletion())
                .filter(s -> completed(s).filter(at -> !at.isAfter(before)).isPresent())
                // the newest; of two completed in the same second, the later name (children are named by their slot)
                .max(Comparator.comparing((DatabaseSnapshot s) -> completed(s).orElseThrow())
                        .thenComparing(s -> s.getMetadata().getName()));
    }

    /** The time a restore's {@code before} says, or {@code now} when it says none. */
    public static Optional<Instant> before(String before, Instant now) {
        if (before == null || before.isBlank()) {
            return Optional.of(now);
        }
        try {
            return Optional.of(Instant.parse(before.strip()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> completed(DatabaseSnapshot snapshot) {
        String at = snapshot.getStatus() == null ? null : snapshot.getStatus().getCompletionTime();
        try {
            return Optional.ofNullable(at).map(Instant::parse);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
