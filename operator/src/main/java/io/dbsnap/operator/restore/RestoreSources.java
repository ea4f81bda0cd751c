package io.dbsnap.operator.restore;

import io.dbsnap.api.job.FailureReason;
import io.dbsnap.api.v1alpha1.common.JobPhase;
import io.dbsnap.api.v1alpha1.common.S3Storage;
import io.dbsnap.api.v1alpha1.common.SnapshotStorage;
import io.dbsnap.api.v1alpha1.restore.RestoreSource;
import io.dbsnap.api.v1alpha1.restore.ScheduleRef;
import io.dbsnap.api.v1alpha1.restore.SnapshotRestore;
import io.dbsnap.api.v1alpha1.restore.StoredSnapshotRef;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotStatus;
import io.dbsnap.operator.common.KubernetesNames;
import io.dbsnap.operator.job.JobStatuses;
import io.dbsnap.operator.job.Problem;
import io.dbsnap.operator.job.Refused;
import io.dbsnap.operator.job.StoreBinding;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Instant;
import java.util.List;

/**
 * Finds the snapshot a restore names. A restore reads only its own namespace's resources: a
 * snapshot elsewhere (another namespace, another cluster) is named by its location in a bucket,
 * with the restore's own credentials. Anything that does not resolve is refused with a reason.
 */
public final class RestoreSources {

    /** What a DatabaseSnapshot's status.location must look like below its store: {@code NS/SOURCE/ID/}. */
    private static final String PATH = "[a-z0-9][-a-z0-9]*/[a-z0-9_][a-z0-9._-]*/[0-9]{8}-[0-9]{6}-[a-z0-9._-]+/";

    private RestoreSources() {
    }

    public static ResolvedSource resolve(KubernetesClient client, SnapshotRestore restore, Instant now) {
        RestoreSource source = restore.getSpec() == null ? null : restore.getSpec().getSource();
        int named = source == null ? 0 : (source.getSnapshotRef() != null ? 1 : 0)
                + (source.getScheduleRef() != null ? 1 : 0) + (source.getLocation() != null ? 1 : 0);
        if (named != 1) {
            throw invalid("set exactly one of spec.source.snapshotRef, spec.source.scheduleRef and spec.source.location");
        }
        String namespace = restore.getMetadata().getNamespace();
        if (source.getSnapshotRef() != null) {
            return bySnapshotName(client, namespace, source.getSnapshotRef().getName(), "spec.source.snapshotRef");
        }
        if (source.getScheduleRef() != null) {
            return ofSchedule(client, namespace, source.getScheduleRef(), now);
        }
        return ofLocation(source.getLocation());
    }

    /** The DatabaseSnapshot of that name in the restore's namespace; {@code field} says where it was named. */
    public static ResolvedSource bySnapshotName(KubernetesClient client, String namespace, String name, String field) {
        DatabaseSnapshot snapshot = name == null ? null
                : client.resources(DatabaseSnapshot.class).inNamespace(namespace).withName(name).get();
        if (snapshot == null) {
            throw notFound("DatabaseSnapshot " + name + " (" + field + ") not found in namespace " + namespace
                    + ": name one of `kubectl get dbsnap -n " + namespace + "` (a snapshot in another namespace or "
                    + "cluster is restored by spec.source.location)");
        }
        return ofSnapshot(snapshot, field);
    }

    static ResolvedSource ofSnapshot(DatabaseSnapshot snapshot, String field) {
        String name = snapshot.getMetadata().getNamespace() + "/" + snapshot.getMetadata().getName();
        DatabaseSnapshotStatus status = snapshot.getStatus();
        JobPhase phase = JobStatuses.phaseOf(status);
        if (phase != JobPhase.Succeeded) {
            throw notFound("DatabaseSnapshot " + name + " (" + field + ") is " + phase + ", not Succeeded: "
                    + (phase == JobPhase.Failed ? "it holds nothing to restore; name another"
                    : "create the restore again once it has succeeded"));
        }
        SnapshotStorage storage = snapshot.getSpec().getStorage();
        String store = StoreBinding.storeUri(storage) + "/";
        String location = status.getLocation();
        if (location == null || !location.startsWith(store) || !location.substring(store.length()).matches(PATH)
                || status.getChecksum() == null) {
            throw notFound("DatabaseSnapshot " + name + " says it succeeded but its status names no snapshot in "
                    + store + " (location " + location + ", checksum " + status.getChecksum() + "): it cannot be "
                    + "trusted; restore it by spec.source.location instead");
        }
        return new ResolvedSource(name, storage, location.substring(store.length()), status.getChecksum(),
                snapshot.getSpec().getSource(), status.getEngine(), snapshot.isMarkedForDeletion());
    }

    private static ResolvedSource ofSchedule(KubernetesClient client, String namespace, ScheduleRef ref, Instant now) {
        if (ref.getName() == null || ref.getName().isBlank()) {
            throw invalid("spec.source.scheduleRef.name is missing: name the SnapshotSchedule");
        }
        Instant before = ScheduleSnapshots.before(ref.getBefore(), now).orElseThrow(() -> invalid(
                "spec.source.scheduleRef.before '" + ref.getBefore() + "' is not an RFC 3339 time such as "
                        + "2026-12-01T09:00:00Z"));
        List<DatabaseSnapshot> snapshots = client.resources(DatabaseSnapshot.class).inNamespace(namespace)
                .withLabel(DatabaseSnapshot.LABEL_SCHEDULE, KubernetesNames.labelValue(ref.getName())).list().getItems();
        DatabaseSnapshot newest = ScheduleSnapshots.newest(snapshots, ref.getName(), before).orElseThrow(() -> notFound(
                "schedule " + ref.getName() + " has no Succeeded snapshot completed at or before " + before + " in "
                        + "namespace " + namespace + " (" + snapshots.size() + " of its snapshots looked at)"));
        return ofSnapshot(newest, "the newest of spec.source.scheduleRef " + ref.getName());
    }

    private static ResolvedSource ofLocation(StoredSnapshotRef location) {
        if (location.getPath() == null || !location.getPath().matches(PATH)) {
            throw invalid("spec.source.location.path '" + location.getPath() + "' is not NAMESPACE/SOURCE/ID/ as "
                    + "the end of a snapshot's status.location");
        }
        // the bucket alone, as a snapshot's storage: the path and checksum are the restore's, not the store's
        SnapshotStorage storage = new SnapshotStorage();
        S3Storage s3 = location.getS3();
        storage.setS3(s3);
        String display = (s3 == null ? "?" : StoreBinding.s3Uri(s3)) + "/" + location.getPath();
        return new ResolvedSource(display, storage, location.getPath(), location.getSha256(), null, null, false);
    }

    private static Refused invalid(String message) {
        return new Refused(new Problem(FailureReason.INVALID_SPEC, message));
    }

    private static Refused notFound(String message) {
        return new Refused(new Problem(FailureReason.SNAPSHOT_NOT_FOUND, message));
    }
}
