package io.dbsnap.operator.snapshot;

import io.dbsnap.api.v1alpha1.restore.SnapshotRestore;
import io.dbsnap.api.v1alpha1.schedule.SnapshotSchedule;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotStatus;
import io.dbsnap.api.v1alpha1.common.DeletionPolicy;
import io.dbsnap.api.v1alpha1.common.JobPhase;
import io.dbsnap.operator.common.EventRecorder;
import io.dbsnap.operator.common.LeaderWork;
import io.dbsnap.operator.common.OperatorConfig;
import io.dbsnap.operator.common.WatchedNamespaces;
import io.dbsnap.operator.schedule.RestoresInto;
import io.dbsnap.operator.schedule.ScheduledSnapshots;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Deletes the stored data of a {@code deletionPolicy: Delete} snapshot being deleted, then takes its
 * finalizer off. Only Delete snapshots get the finalizer (the reconciler puts it on), so that with
 * the operator uninstalled a namespace of Retain snapshots still deletes.
 *
 * <p>This runs beside the reconciler, on an informer of its own: quarkus-operator-sdk 7.7.3 cannot
 * pass JOSDK's {@code triggerReconcilerOnAllEvents} on, and without it JOSDK either puts its
 * finalizer on every resource ({@code Cleaner}) or never calls the reconciler for one being
 * deleted. A failed delete is tried again at each resync, until {@code dbsnap.cleanup.give-up-after}.
 */
@ApplicationScoped
public class StoredDataFinalizer implements LeaderWork {

    /** The name JOSDK gave it when every snapshot had it: snapshots made by earlier versions keep working. */
    public static final String FINALIZER = "databasesnapshots.dbsnap.io/finalizer";
    private static final Logger LOG = Logger.getLogger(StoredDataFinalizer.class);
    private static final Duration RESYNC = Duration.ofSeconds(15);

    @Inject
    KubernetesClient client;

    @Inject
    OperatorConfig config;

    Clock clock = Clock.systemUTC();

    private final Set<String> underWay = ConcurrentHashMap.newKeySet();
    /** When a restore was last seen reading a snapshot being deleted: the give-up time counts from then (until a restart). */
    private final java.util.Map<String, Instant> readUntil = new ConcurrentHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "dbsnap-stored-data-finalizer");
        thread.setDaemon(true);
        return thread;
    });
    private final List<SharedIndexInformer<DatabaseSnapshot>> informers = new java.util.ArrayList<>();

    @Inject
    WatchedNamespaces watched;

    /** Without leader election every replica acts, so this starts with the operator; with it, on leading. */
    void onStart(@Observes StartupEvent event) {
        if (!config.leaderElection().enabled()) {
            start();
        }
    }

    /**
     * Watches the snapshots of the namespaces the snapshot controller watches (all, or the chart's
     * watchNamespaces, where its Roles are): only what the operator may read, and never twice.
     */
    @Override
    public synchronized void start() {
        if (!informers.isEmpty()) {
            return;
        }
        ResourceEventHandler<DatabaseSnapshot> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(DatabaseSnapshot snapshot) {
                consider(snapshot);
            }

            @Override
            public void onUpdate(DatabaseSnapshot before, DatabaseSnapshot snapshot) {
                consider(snapshot);
            }

            @Override
            public void onDelete(DatabaseSnapshot snapshot, boolean finalStateUnknown) {
            }
        };
        Set<String> namespaces = watched.namespaces();
        if (namespaces.isEmpty()) {
            informers.add(client.resources(DatabaseSnapshot.class).inAnyNamespace().inform(handler, RESYNC.toMillis()));
        } else {
            for (String namespace : namespaces) {
                informers.add(client.resources(DatabaseSnapshot.class).inNamespace(namespace).inform(handler, RESYNC.toMillis()));
            }
        }
    }

    void stop(@Observes ShutdownEvent event) {
        synchronized (this) {
            informers.forEach(SharedIndexInformer::close);
        }
        worker.shutdownNow();
    }

    private void consider(DatabaseSnapshot snapshot) {
        String uid = snapshot.getMetadata().getUid();
        if (snapshot.isMarkedForDeletion() && snapshot.hasFinalizer(FINALIZER) && underWay.add(uid)) {
            worker.execute(() -> {
                try {
                    finish(snapshot);
                } catch (RuntimeException e) {
                    LOG.warnf("finishing the deletion of %s/%s failed, will retry: %s",
                            snapshot.getMetadata().getNamespace(), snapshot.getMetadata().getName(), e.getMessage());
                } finally {
                    underWay.remove(uid);
                }
            });
        }
    }

    void finish(DatabaseSnapshot snapshot) {
        if (!storedDataGone(snapshot)) {
            return;
        }
        readUntil.remove(snapshot.getMetadata().getUid());
        var resource = client.resources(DatabaseSnapshot.class).inNamespace(snapshot.getMetadata().getNamespace())
                .withName(snapshot.getMetadata().getName());
        DatabaseSnapshot fresh = resource.get();
        if (fresh == null || !snapshot.getMetadata().getUid().equals(fresh.getMetadata().getUid())
                || !fresh.hasFinalizer(FINALIZER)) {
            return;
        }
        // by index, tested first: a finalizer another controller removed meanwhile shifts no other one out
        int index = fresh.getMetadata().getFinalizers().indexOf(FINALIZER);
        String path = "/metadata/finalizers/" + index;
        try {
            resource.patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"test\",\"path\":\"" + path
                    + "\",\"value\":\"" + FINALIZER + "\"},{\"op\":\"remove\",\"path\":\"" + path + "\"}]");
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 409 && e.getCode() != 422) {
                throw e;
            }
            LOG.debugf("the finalizer of %s/%s moved (%d); the next resync tries again",
                    snapshot.getMetadata().getNamespace(), snapshot.getMetadata().getName(), e.getCode());
        }
    }

    /**
     * The schedule that took this snapshot, when that schedule is being deleted or gone: then the snapshot
     * is being deleted with it (garbage collection, a foreground cascade racing the schedule's own letting
     * go), not by its retention or a person, and its data stays.
     */
    private Optional<String> deletedSchedule(DatabaseSnapshot snapshot) {
        for (OwnerReference owner : ScheduledSnapshots.scheduleOwners(snapshot)) {
            SnapshotSchedule schedule = client.resources(SnapshotSchedule.class)
                    .inNamespace(snapshot.getMetadata().getNamespace()).withName(owner.getName()).get();
            if (schedule == null || !owner.getUid().equals(schedule.getMetadata().getUid())
                    || schedule.isMarkedForDeletion()) {
                return Optional.of(owner.getName());
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the snapshot's namespace is being deleted: then the snapshot goes with everything else in it, in
     * whatever order the API server takes them (its schedule perhaps not yet marked), and its backups are what a
     * restore of that namespace needs. An operator refused get on the namespace cannot tell, and deletes as the policy says.
     */
    private boolean namespaceBeingDeleted(DatabaseSnapshot snapshot) {
        try {
            var namespace = client.namespaces().withName(snapshot.getMetadata().getNamespace()).get();
            return namespace == null || namespace.isMarkedForDeletion();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                return false;
            }
            throw e;
        }
    }

    /** Whether the finalizer may go: the data is deleted, there is none, or trying has gone on too long. */
    private boolean storedDataGone(DatabaseSnapshot snapshot) {
        DatabaseSnapshotStatus status = snapshot.getStatus();
        if (snapshot.getSpec() == null || snapshot.getSpec().getDeletionPolicy() != DeletionPolicy.Delete
                || SnapshotStatuses.phaseOf(status) != JobPhase.Succeeded || status.getLocation() == null) {
            return true;
        }
        try {
            // a schedule that cannot be looked up is retried, then given up on like a store: the data stays
            Optional<String> schedule = deletedSchedule(snapshot);
            if (schedule.isPresent()) {
                EventRecorder.normal(client, snapshot, "StoredSnapshotKept", "kept " + status.getLocation()
                        + ": it was taken by SnapshotSchedule " + schedule.get() + ", which is being deleted, and "
                        + "deleting a schedule keeps its snapshots' data; delete it with dbsnap prune or your S3 tools");
                return true;
            }
            if (namespaceBeingDeleted(snapshot)) {
                EventRecorder.normal(client, snapshot, "StoredSnapshotKept", "kept " + status.getLocation()
                        + ": namespace " + snapshot.getMetadata().getNamespace() + " is being deleted, and deleting a "
                        + "namespace keeps its snapshots' data (restore it from there); delete it with dbsnap prune or "
                        + "your S3 tools");
                return true;
            }
            // a restore reading it (or about to choose it) would lose its source half way: the data waits for it
            List<String> readers = RestoresInto.reading(snapshot, watched.list(client, SnapshotRestore.class));
            if (!readers.isEmpty()) {
                readUntil.put(snapshot.getMetadata().getUid(), clock.instant());
                EventRecorder.normal(client, snapshot, "StoredSnapshotInUse", "keeping " + status.getLocation()
                        + " while SnapshotRestore " + String.join(", ", readers) + " reads it; it is deleted once "
                        + (readers.size() == 1 ? "that restore has" : "they have") + " finished");
                return false;
            }
            SecretCheck.S3Keys keys = SecretCheck.s3Keys(client, snapshot);
            String removed = StoredSnapshotRemover.remove(snapshot, keys.accessKeyId(), keys.secretAccessKey());
            LOG.infof("deleted the stored snapshot %s of %s/%s", removed, snapshot.getMetadata().getNamespace(),
                    snapshot.getMetadata().getName());
            return true;
        } catch (RuntimeException e) {
            Instant deleting = Instant.parse(snapshot.getMetadata().getDeletionTimestamp());
            Instant read = readUntil.get(snapshot.getMetadata().getUid());
            Instant since = read != null && read.isAfter(deleting) ? read : deleting;
            if (clock.instant().isAfter(since.plus(config.cleanup().giveUpAfter()))) {
                EventRecorder.warning(client, snapshot, "StoredSnapshotLeftBehind", "could not delete "
                        + status.getLocation() + " within " + config.cleanup().giveUpAfter().toMinutes() + " min (" + e.getMessage()
                        + "); the resource is removed and the stored snapshot is left: delete it with "
                        + "dbsnap prune or your S3 tools");
                return true;
            }
            LOG.warnf("deleting %s failed, will retry: %s", status.getLocation(), e.getMessage());
            EventRecorder.warning(client, snapshot, "StoredSnapshotDeleteFailed", "could not delete "
                    + status.getLocation() + ": " + e.getMessage() + "; retrying");
            return false;
        }
    }
}
