package io.dbsnap.operator.common;

import io.dbsnap.sandbox.SandboxApiServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Events against an API server (the sandbox's): a repeat counts, a new message or reason is a new Event. */
class EventRecorderTest {

    private static SandboxApiServer api;
    private static KubernetesClient client;
    private static final HasMetadata SNAPSHOT = new ConfigMapBuilder().withNewMetadata().withName("orders-nightly")
            .withNamespace("prod").withUid("uid-1").endMetadata().build();

    @BeforeAll
    static void start() {
        api = new SandboxApiServer().start(0);
        client = api.client();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static List<Event> events() {
        return client.v1().events().inNamespace("prod").list().getItems();
    }

    @Test
    void aRepeatCountsAndADifferentEventIsItsOwn() {
        for (int i = 0; i < 3; i++) {
            EventRecorder.warning(client, SNAPSHOT, "StoredSnapshotDeleteFailed", "could not delete s3://b/x/: timeout");
        }
        EventRecorder.warning(client, SNAPSHOT, "StoredSnapshotDeleteFailed", "could not delete s3://b/x/: denied");
        EventRecorder.normal(client, SNAPSHOT, "SnapshotStarted", "created Job snapshot-orders-nightly-abc123");

        assertThat(events()).hasSize(3);
        assertThat(events()).filteredOn(e -> e.getMessage().endsWith("timeout")).singleElement().satisfies(e -> {
            assertThat(e.getCount()).isEqualTo(3);
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getInvolvedObject().getUid()).isEqualTo("uid-1");
            assertThat(e.getMetadata().getName()).startsWith("orders-nightly.");
        });
        assertThat(events()).filteredOn(e -> !e.getMessage().endsWith("timeout"))
                .allSatisfy(e -> assertThat(e.getCount()).isEqualTo(1));
    }

    @Test
    void aLongNameStillMakesAValidEventName() {
        HasMetadata longName = new ConfigMapBuilder().withNewMetadata().withName("x".repeat(253))
                .withNamespace("prod").withUid("uid-2").endMetadata().build();
        assertThat(EventRecorder.name(longName, "Normal", "R", "m")).hasSizeLessThanOrEqualTo(253);
    }
}
