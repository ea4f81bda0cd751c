package io.dbsnap.operator.schedule;

import io.dbsnap.api.v1alpha1.common.PodReference;
import io.dbsnap.api.v1alpha1.restore.RestoreSource;
import io.dbsnap.api.v1alpha1.restore.SnapshotRestore;
import io.dbsnap.api.v1alpha1.schedule.SnapshotSchedule;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.operator.restore.RestoreStatuses;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * How running restores bear on a schedule. One that may be writing into the schedule's database
 * skips its slots (RestoreInProgress) rather than snapshotting a half-restored database; when it
 * cannot be told where a restore writes, it counts as writing there. And the snapshots restores are
 * reading are pinned against retention.
 */
public final class RestoresInto {

    private RestoresInto() {
    }

    /** The running, non-dry-run restores of {@code restores} that may be writing into the pod {@code schedule} snapshots. */
    public static List<String> running(SnapshotSchedule schedule, Collection<SnapshotRestore> restores,
                                       Function<String, Optional<DatabaseSnapshot>> snapshots) {
        PodReference pod = schedule.getSpec().getSnapshotTemplate().getSpec().getSource().getPod();
        return restores.stream().filter(RestoresInto::unfinished)
                .filter(r -> !Boolean.TRUE.equals(r.getSpec().getDryRun()))
                .filter(r -> mayWriteInto(r, pod, schedule.getMetadata().getName(), snapshots))
                .map(r -> r.getMetadata().getName()).toList();
    }

    /**
     * The names of {@code snapshots} unfinished restores read, whether they name the snapshot (restores of
     * the schedule's namespace) or its stored folder (a {@code location} source, from any namespace), or empty
     * when one of them has not yet said which (a scheduleRef to this schedule not resolved yet): then nothing
     * of the schedule may be deleted.
     */
    public static Optional<Set<String>> snapshotsInUse(SnapshotSchedule schedule, Collection<SnapshotRestore> restores,
                                                       Collection<DatabaseSnapshot> snapshots) {
        Set<String> names = new HashSet<>();
        String namespace = schedule.getMetadata().getNamespace();
        for (SnapshotRestore restore : restores.stream().filter(RestoresInto::unfinished).toList()) {
            readsFolderOf(restore, snapshots).forEach(names::add);
            names.addAll(readsByName(restore, namespace));
            if (choosing(restore, namespace, schedule.getMetadata().getName())) {
                return Optional.empty();
            }
        }
        return Optional.of(names);
    }

    /**
     * The unfinished restores that read {@code snapshot} (by its name, or its stored folder from any
     * namespace) or may yet choose it (a scheduleRef to the schedule that took it, not resolved yet):
     * its stored data must stay until they have finished.
     */
    public static List<String> reading(DatabaseSnapshot snapshot, Collection<SnapshotRestore> restores) {
        String namespace = snapshot.getMetadata().getNamespace();
        String name = snapshot.getMetadata().getName();
        Optional<String> schedule = ScheduledSnapshots.scheduleOwners(snapshot).stream().map(o -> o.getName()).findFirst();
        return restores.stream().filter(RestoresInto::unfinished)
                .filter(r -> !readsFolderOf(r, List.of(snapshot)).isEmpty() || readsByName(r, namespace).contains(name)
                        || schedule.filter(s -> choosing(r, namespace, s)).isPresent())
                .map(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName()).toList();
    }

    /** The snapshots of {@code namespace} a restore names: its snapshotRef, and the one it resolved. */
    private static Set<String> readsByName(SnapshotRestore restore, String namespace) {
        Set<String> names = new HashSet<>();
        if (!namespace.equals(restore.getMetadata().getNamespace())) {
            return names;
        }
        Optional.ofNullable(restore.getSpec().getSource()).map(RestoreSource::getSnapshotRef)
                .ifPresent(ref -> names.add(ref.getName()));
        String resolved = restore.getStatus() == null ? null : restore.getStatus().getSource();
        if (resolved != null && resolved.startsWith(namespace + "/")) {
            names.add(resolved.substring(namespace.length() + 1));
        }
        return names;
    }

    /** Whether a restore of {@code namespace} takes the newest of {@code schedule} and has not yet said which. */
    private static boolean choosing(SnapshotRestore restore, String namespace, String schedule) {
        RestoreSource source = restore.getSpec().getSource();
        String resolved = restore.getStatus() == null ? null : restore.getStatus().getSource();
        return namespace.equals(restore.getMetadata().getNamespace()) && source != null
                && source.getScheduleRef() != null && schedule.equals(source.getScheduleRef().getName())
                && (resolved == null || !resolved.startsWith(namespace + "/"));
    }

    /**
     * The snapshots whose stored folder a restore reads: the location it resolved, or the path its
     * {@code location} source names (matched in any bucket: keeping one too many is the safe mistake).
     */
    private static List<String> readsFolderOf(SnapshotRestore restore, Collection<DatabaseSnapshot> snapshots) {
        String resolved = restore.getStatus() == null ? null : restore.getStatus().getLocation();
        RestoreSource source = restore.getSpec().getSource();
        String path = source == null || source.getLocation() == null ? null : source.getLocation().getPath();
        if (resolved == null && path == null) {
            return List.of();
        }
        return snapshots.stream().filter(s -> {
            String location = s.getStatus() == null ? null : s.getStatus().getLocation();
            return location != null && (resolved != null && folder(location).equals(folder(resolved))
                    || path != null && folder(location).endsWith("/" + folder(path)));
        }).map(s -> s.getMetadata().getName()).toList();
    }

    private static String folder(String location) {
        return location.endsWith("/") ? location : location + "/";
    }

    private static boolean unfinished(SnapshotRestore restore) {
        return restore.getSpec() != null && !RestoreStatuses.phaseOf(restore.getStatus()).isFinal();
    }

    private static boolean mayWriteInto(SnapshotRestore restore, PodReference pod, String schedule,
                                        Function<String, Optional<DatabaseSnapshot>> snapshots) {
        if (restore.getSpec().getTarget() != null) {
            return samePod(restore.getSpec().getTarget().getPod(), pod);
        }
        String target = restore.getStatus() == null ? null : restore.getStatus().getTarget();
        if (target != null && target.split("/").length >= 2) {
            // resolved: NAMESPACE/POD/DATABASE
            return pod.getName() == null || pod.getName().equals(target.split("/")[1]);
        }
        RestoreSource source = restore.getSpec().getSource();
        if (source != null && source.getSnapshotRef() != null) {
            // into the snapshot's own source; a snapshot that does not exist is restored nowhere
            return snapshots.apply(source.getSnapshotRef().getName())
                    .map(s -> s.getSpec() == null || s.getSpec().getSource() == null
                            || samePod(s.getSpec().getSource().getPod(), pod)).orElse(false);
        }
        // a schedule's newest (this one's or another's) or a location: not known until resolved
        return true;
    }

    /** The same pod, or one that may be: only two pod names can be told apart without asking the cluster. */
    static boolean samePod(PodReference a, PodReference b) {
        if (a == null || b == null || a.getName() == null || b.getName() == null) {
            return true;
        }
        return a.getName().equals(b.getName());
    }
}
