package io.dbsnap.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The discovery documents kubectl reads before anything else: what the sandbox says it serves. */
class DiscoveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode document(String path) throws Exception {
        return JSON.readTree(Discovery.document(path, "127.0.0.1:6443").orElseThrow());
    }

    @Test
    void everyGroupTheApisListNamesHasItsResourceList() throws Exception {
        JsonNode groups = document("/apis").get("groups");
        List<String> versions = new ArrayList<>();
        groups.forEach(g -> versions.add(g.get("preferredVersion").get("groupVersion").asText()));
        assertThat(versions).contains("batch/v1", "rbac.authorization.k8s.io/v1", "dbsnap.io/v1alpha1");
        for (String groupVersion : versions) {
            assertThat(document("/apis/" + groupVersion).get("groupVersion").asText()).isEqualTo(groupVersion);
        }
        assertThat(document("/api").get("versions").get(0).asText()).isEqualTo("v1");
        assertThat(document("/version").get("major").asText()).isEqualTo("1");
    }

    @Test
    void podsExecAndTheSnapshotsShortNameAreServed() throws Exception {
        List<String> core = new ArrayList<>();
        document("/api/v1").get("resources").forEach(r -> core.add(r.get("name").asText()));
        assertThat(core).contains("pods", "pods/exec", "pods/log", "secrets", "serviceaccounts", "events");
        JsonNode snapshots = document("/apis/dbsnap.io/v1alpha1").get("resources").get(0);
        assertThat(snapshots.get("kind").asText()).isEqualTo("DatabaseSnapshot");
        assertThat(snapshots.get("shortNames").get(0).asText()).isEqualTo("dbsnap");
        assertThat(snapshots.get("namespaced").asBoolean()).isTrue();
    }

    @Test
    void otherPathsAreNotDiscovery() {
        assertThat(Discovery.document("/api/v1/namespaces/prod/pods", "x")).isEmpty();
        assertThat(Discovery.document("/apis/unknown.io/v1", "x")).isEmpty();
    }
}
