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
        DatabaseSnapshot snapshot = client.resource(Snapshots.parse("""
                apiVersion: dbsnap.io/v1alpha1
                kind: DatabaseSnapshot
                metadata: {name: goes-away, namespace: prod, finalizers: [%s]}
                spec:
                  source: {pod: {name: orders-db-0}}
                  storage: {s3: {bucket: snaps, endpoint: "http://127.0.0.1:%d", credentialsSecret: {name: s3-creds}}}
                  deletionPolicy: Delete
                """.formatted(StoredDataFinalizer.FINALIZER, closed))).create();
        DatabaseSnapshotStatus status = new DatabaseSnapshotStatus();
        status.setPhase("Succeeded");
        status.setLocation("s3://snaps/prod/orders-db-0/20261201-230000-goes-away/");
        snapshot.setStatus(status);
        client.resource(snapshot).updateStatus();
        client.resource(snapshot).delete();
        DatabaseSnapshot deleting = client.resource(snapshot).get();
        assertThat(deleting.getMetadata().getDeletionTimestamp()).as("held by the finalizer").isNotNull();
        Instant deletedAt = Instant.parse(deleting.getMetadata().getDeletionTimestamp());

        StoredDataFinalizer finalizer = new StoredDataFinalizer();
        finalizer.client = client;
        finalizer.config = io.dbsnap.operator.common.TestConfig.of("unused", Duration.ofMinutes(5), java.util.Set.of());
        finalizer.clock = Clock.fixed(deletedAt.plusSeconds(20), ZoneOffset.UTC);
        finalizer.finish(deleting);

        assertThat(client.resource(snapshot).get().getFinalizers()).containsExactly(StoredDataFinalizer.FINALIZER);
        assertThat(reasons()).containsExactly("StoredSnapshotDeleteFailed");

        finalizer.clock = Clock.fixed(deletedAt.plus(Duration.ofMinutes(6)), ZoneOffset.UTC);
        finalizer.finish(client.resource(snapshot).get());

        assertThat(client.resource(snapshot).get()).as("let go").isNull();
        assertThat(reasons()).containsExactlyInAnyOrder("StoredSnapshotDeleteFailed", "StoredSnapshotLeftBehind");
        assertThat(client.v1().events().inNamespace(NS).list().getItems()).filteredOn(e -> e.getReason()
                .equals("StoredSnapshotLeftBehind")).singleElement().satisfies(e -> assertThat(e.getMessage())
                .contains("s3://snaps/prod/orders-db-0/20261201-230000-goes-away/", "dbsnap prune"));
    }

    private static List<String> reasons() {
        return client.v1().events().inNamespace(NS).list().getItems().stream().map(Event::getReason).toList();
    }
}
