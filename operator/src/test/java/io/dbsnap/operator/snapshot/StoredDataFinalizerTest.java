package io.dbsnap.operator.snapshot;

import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The deletion of a Delete snapshot's stored data, against the sandbox's API server and a store that is not there. */
class StoredDataFinalizerTest {

    private static final String NS = TestApi.NS;
    private static TestApi api;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        api = new TestApi();
        client = api.client;
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void aStoreThatStaysUnreachableIsRetriedThenGivenUpWithAnEventNamingWhatIsLeft() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        DatabaseSnapshot snapshot = deletedDeleteSnapshot("goes-away",
                "s3://snaps/prod/orders-db-0/20261201-230000-goes-away/", closed);
        DatabaseSnapshot deleting = client.resource(snapshot).get();
        assertThat(deleting.getMetadata().getDeletionTimestamp()).as("held by the finalizer").isNotNull();
        Instant deletedAt = Instant.parse(deleting.getMetadata().getDeletionTimestamp());

        StoredDataFinalizer finalizer = finalizerAt(deletedAt.plusSeconds(20));
        finalizer.finish(deleting);

        assertThat(client.resource(snapshot).get().getFinalizers()).containsExactly(StoredDataFinalizer.FINALIZER);
        assertThat(reasonsFor("goes-away")).containsExactly("StoredSnapshotDeleteFailed");

        finalizer.clock = Clock.fixed(deletedAt.plus(Duration.ofMinutes(6)), ZoneOffset.UTC);
        finalizer.finish(client.resource(snapshot).get());

        assertThat(client.resource(snapshot).get()).as("let go").isNull();
        assertThat(reasonsFor("goes-away")).containsExactlyInAnyOrder("StoredSnapshotDeleteFailed", "StoredSnapshotLeftBehind");
        assertThat(client.v1().events().inNamespace(NS).list().getItems()).filteredOn(e -> e.getReason()
                .equals("StoredSnapshotLeftBehind")).singleElement().satisfies(e -> assertThat(e.getMessage())
                .contains("s3://snaps/prod/orders-db-0/20261201-230000-goes-away/", "dbsnap prune"));
    }

    /**
     * A foreground cascade (or a finalizer someone took off the schedule) lets garbage collection delete a
     * schedule's snapshots while the schedule still owns them: their data stays, as deleting a schedule
     * promises. The store is unreachable, so any attempt to delete would show as StoredSnapshotDeleteFailed.
     */
    @Test
    void aSnapshotDeletedWithItsScheduleKeepsItsDataAndOneDeletedWhileTheScheduleLivesDoesNot() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        var living = schedule("living", false);
        var going = schedule("going", true);
        var gone = schedule("gone", false);
        client.resource(gone).withGracePeriod(0).delete();
        for (var owner : List.of(living, going, gone)) {
            DatabaseSnapshot snapshot = client.resource(Snapshots.parse("""
                    apiVersion: dbsnap.io/v1alpha1
                    kind: DatabaseSnapshot
                    metadata:
                      name: %1$s-202612010300
                      namespace: prod
                      finalizers: [%2$s]
                      ownerReferences: [{apiVersion: dbsnap.io/v1alpha1, kind: SnapshotSchedule, name: %1$s,
                                         uid: %3$s, controller: true, blockOwnerDeletion: true}]
                    spec:
                      source: {pod: {name: orders-db-0}}
                      storage: {s3: {bucket: snaps, endpoint: "http://127.0.0.1:%4$d", credentialsSecret: {name: s3-creds}}}
                      deletionPolicy: Delete
                    """.formatted(owner.getMetadata().getName(), StoredDataFinalizer.FINALIZER,
                    owner.getMetadata().getUid(), closed))).create();
            DatabaseSnapshotStatus status = new DatabaseSnapshotStatus();
            status.setPhase("Succeeded");
            status.setLocation("s3://snaps/prod/orders-db-0/20261201-030000-" + snapshot.getMetadata().getName() + "/");
            snapshot.setStatus(status);
            client.resource(snapshot).updateStatus();
            client.resource(snapshot).delete();
            DatabaseSnapshot deleting = client.resource(snapshot).get();

            finalizerAt(Instant.parse(deleting.getMetadata().getDeletionTimestamp()).plusSeconds(1)).finish(deleting);
        }

        assertThat(reasonsFor("living-202612010300")).as("retention or a person deleting: the data goes")
                .containsExactly("StoredSnapshotDeleteFailed");
        assertThat(client.resources(DatabaseSnapshot.class).inNamespace(NS).withName("living-202612010300").get())
                .as("held until its data is deleted").isNotNull();
        for (String name : List.of("going-202612010300", "gone-202612010300")) {
            assertThat(reasonsFor(name)).as(name).containsExactly("StoredSnapshotKept");
            assertThat(client.resources(DatabaseSnapshot.class).inNamespace(NS).withName(name).get()).as(name).isNull();
        }
        assertThat(client.v1().events().inNamespace(NS).list().getItems()).filteredOn(e -> e.getReason()
                .equals("StoredSnapshotKept")).allSatisfy(e -> assertThat(e.getMessage())
                .contains("s3://snaps/prod/orders-db-0/20261201-030000-", "is being deleted", "dbsnap prune"));
    }

    /**
     * Deleting a snapshot a SnapshotRestore is reading (by name, or by its stored folder as a location source)
     * keeps its data until the restore has finished; a finished restore holds nothing. The store is
     * unreachable, so an attempt to delete shows as StoredSnapshotDeleteFailed.
     */
    @Test
    void aSnapshotARestoreReadsKeepsItsDataUntilEveryRestoreReadingItHasFinished() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String folder = "prod/orders-db-0/20261201-040000-read-while-deleted/";
        var byName = restore("by-name", "{snapshotRef: {name: read-while-deleted}}", "Running");
        var byFolder = restore("by-folder", "{location: {s3: {bucket: snaps, credentialsSecret: {name: s3-creds}}, path: "
                + folder + "}}", "Pending");
        restore("finished-long-ago", "{snapshotRef: {name: read-while-deleted}}", "Succeeded");
        restore("another-snapshot", "{snapshotRef: {name: something-else}}", "Running");
        DatabaseSnapshot snapshot = deletedDeleteSnapshot("read-while-deleted", "s3://snaps/" + folder, closed);
        Instant deletedAt = Instant.parse(client.resource(snapshot).get().getMetadata().getDeletionTimestamp());
        StoredDataFinalizer finalizer = finalizerAt(deletedAt.plusSeconds(1));

        finalizer.finish(client.resource(snapshot).get());
        assertThat(reasonsFor("read-while-deleted")).containsOnly("StoredSnapshotInUse");
        assertThat(client.v1().events().inNamespace(NS).list().getItems()).filteredOn(e -> e.getReason()
                .equals("StoredSnapshotInUse")).first().satisfies(e -> assertThat(e.getMessage())
                .contains("prod/by-name", "prod/by-folder").doesNotContain("finished-long-ago", "another-snapshot"));

        finished(byName);
        // past the give-up time: waiting for a reader is not a failure to delete, and nothing is given up
        finalizer.clock = Clock.fixed(deletedAt.plus(Duration.ofMinutes(10)), ZoneOffset.UTC);
        finalizer.finish(client.resource(snapshot).get());
        assertThat(reasonsFor("read-while-deleted")).containsOnly("StoredSnapshotInUse");
        assertThat(client.resource(snapshot).get().getFinalizers()).containsExactly(StoredDataFinalizer.FINALIZER);

        finished(byFolder);
        // the give-up time counts from the last reader (10 minutes), not from the deletion: tried again, not given up
        finalizer.clock = Clock.fixed(deletedAt.plus(Duration.ofMinutes(11)), ZoneOffset.UTC);
        finalizer.finish(client.resource(snapshot).get());
        assertThat(reasonsFor("read-while-deleted")).contains("StoredSnapshotDeleteFailed")
                .doesNotContain("StoredSnapshotLeftBehind");
        assertThat(client.resource(snapshot).get().getFinalizers()).containsExactly(StoredDataFinalizer.FINALIZER);
    }

    /** A Succeeded {@code deletionPolicy: Delete} snapshot stored at {@code location} of a store on {@code port}, deleted. */
    private static DatabaseSnapshot deletedDeleteSnapshot(String name, String location, int port) {
        return deletedDeleteSnapshot(NS, name, location, port);
    }

    private static DatabaseSnapshot deletedDeleteSnapshot(String namespace, String name, String location, int port) {
        DatabaseSnapshot snapshot = client.resource(Snapshots.parse("""
                apiVersion: dbsnap.io/v1alpha1
                kind: DatabaseSnapshot
                metadata: {name: %s, namespace: %s, finalizers: [%s]}
                spec:
                  source: {pod: {name: orders-db-0}}
                  storage: {s3: {bucket: snaps, endpoint: "http://127.0.0.1:%d", credentialsSecret: {name: s3-creds}}}
                  deletionPolicy: Delete
                """.formatted(name, namespace, StoredDataFinalizer.FINALIZER, port))).create();
        DatabaseSnapshotStatus status = new DatabaseSnapshotStatus();
        status.setPhase("Succeeded");
        status.setLocation(location);
        snapshot.setStatus(status);
        client.resource(snapshot).updateStatus();
        client.resource(snapshot).delete();
        return snapshot;
    }

    /**
     * A namespace being deleted takes its snapshots with it in the API server's order, perhaps before their
     * schedule: their data stays, it is what a restore of the namespace needs. The store is unreachable, so an
     * attempt to delete would show as StoredSnapshotDeleteFailed.
     */
    @Test
    void aSnapshotDeletedWithItsNamespaceKeepsItsData() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        var doomed = client.resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName("doomed").withFinalizers("dbsnap.io/test-holds-it").endMetadata().build()).create();
        DatabaseSnapshot snapshot = deletedDeleteSnapshot("doomed", "nightly", "s3://snaps/doomed/orders-db-0/"
                + "20261201-020000-nightly/", closed);
        client.resource(doomed).delete();
        assertThat(client.namespaces().withName("doomed").get().isMarkedForDeletion()).isTrue();
        DatabaseSnapshot deleting = client.resource(snapshot).get();

        finalizerAt(Instant.parse(deleting.getMetadata().getDeletionTimestamp()).plusSeconds(1)).finish(deleting);

        assertThat(client.resource(snapshot).get()).as("let go").isNull();
        assertThat(client.v1().events().inNamespace("doomed").list().getItems()).extracting(Event::getReason)
                .containsExactly("StoredSnapshotKept");
        assertThat(client.v1().events().inNamespace("doomed").list().getItems().get(0).getMessage())
                .contains("namespace doomed is being deleted", "20261201-020000-nightly");
    }

    private static io.dbsnap.api.v1alpha1.restore.SnapshotRestore restore(String name, String source, String phase) {
        var restore = client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: dbsnap.io/v1alpha1
                kind: SnapshotRestore
                metadata: {name: %s, namespace: prod}
                spec:
                  source: %s
                """.formatted(name, source), io.dbsnap.api.v1alpha1.restore.SnapshotRestore.class)).create();
        var status = new io.dbsnap.api.v1alpha1.restore.SnapshotRestoreStatus();
        status.setPhase(phase);
        restore.setStatus(status);
        return client.resource(restore).updateStatus();
    }

    private static void finished(io.dbsnap.api.v1alpha1.restore.SnapshotRestore restore) {
        var fresh = client.resource(restore).get();
        fresh.getStatus().setPhase("Failed");
        client.resource(fresh).updateStatus();
    }

    private static io.dbsnap.api.v1alpha1.schedule.SnapshotSchedule schedule(String name, boolean deleting) {
        var schedule = client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: dbsnap.io/v1alpha1
                kind: SnapshotSchedule
                metadata: {name: %s, namespace: prod, finalizers: [dbsnap.io/test-holds-it]}
                spec:
                  schedule: "@daily"
                  snapshotTemplate:
                    spec:
                      source: {pod: {name: orders-db-0}}
                      storage: {s3: {bucket: snaps, credentialsSecret: {name: s3-creds}}}
                """.formatted(name), io.dbsnap.api.v1alpha1.schedule.SnapshotSchedule.class)).create();
        if (deleting) {
            client.resource(schedule).delete();
        } else {
            schedule.getMetadata().setFinalizers(List.of());
            schedule = client.resource(schedule).update();
        }
        return schedule;
    }

    /** The finalizer with a five-minute give-up, at {@code now}. */
    private static StoredDataFinalizer finalizerAt(Instant now) {
        StoredDataFinalizer finalizer = new StoredDataFinalizer();
        finalizer.client = client;
        finalizer.config = io.dbsnap.operator.common.TestConfig.of("unused", Duration.ofMinutes(5), java.util.Set.of());
        finalizer.clock = Clock.fixed(now, ZoneOffset.UTC);
        finalizer.watched = io.dbsnap.operator.common.WatchedNamespaces.everywhere();
        return finalizer;
    }

    private static List<String> reasonsFor(String name) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName())).map(Event::getReason).toList();
    }
}
