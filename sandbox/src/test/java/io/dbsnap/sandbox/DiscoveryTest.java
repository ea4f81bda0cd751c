package io.dbsnap.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The discovery documents kubectl reads before anything else: what the sandbox says it serves, the
 * custom resources read from the CRDs applied (dbsnap's own, from crds/), not from a list of its own.
 */
class DiscoveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final io.fabric8.kubernetes.client.utils.KubernetesSerialization KUBE =
            new io.fabric8.kubernetes.client.utils.KubernetesSerialization();

    /** dbsnap's CRDs, as the sandbox applies them. */
    private static java.util.Map<String, List<Discovery.Resource>> dbsnapCrds() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode list = JSON.createObjectNode();
        com.fasterxml.jackson.databind.node.ArrayNode items = list.putArray("items");
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("").toAbsolutePath().getParent().resolve("crds"))) {
            for (java.nio.file.Path crd : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                items.add(JSON.valueToTree(KUBE.unmarshal(java.nio.file.Files.readString(crd),
                        io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class)));
            }
        }
        return Discovery.fromCrds(list);
    }

    private static JsonNode document(String path) throws Exception {
        return JSON.readTree(Discovery.document(path, "127.0.0.1:6443", dbsnapCrds()).orElseThrow());
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
    void otherPathsAreNotDiscovery() throws Exception {
        assertThat(Discovery.isDiscovery("/api/v1/namespaces/prod/pods")).isFalse();
        assertThat(Discovery.isDiscovery("/apis/dbsnap.io/v1alpha1/namespaces/prod/databasesnapshots")).isFalse();
        assertThat(Discovery.document("/apis/unknown.io/v1", "x", dbsnapCrds())).isEmpty();
    }

    @Test
    void aCrdsServedVersionsScopeAndNamesAreWhatDiscoveryShows() throws Exception {
        JsonNode crds = JSON.readTree("""
                {"items": [{"spec": {"group": "example.io", "scope": "Cluster",
                  "names": {"plural": "widgets", "kind": "Widget", "shortNames": ["wg"]},
                  "versions": [{"name": "v1", "served": true}, {"name": "v0", "served": false}]}}]}
                """);
        var custom = Discovery.fromCrds(crds);
        assertThat(custom).containsOnlyKeys("example.io/v1");

        JsonNode widgets = JSON.readTree(Discovery.document("/apis/example.io/v1", "x", custom).orElseThrow())
                .get("resources").get(0);
        assertThat(widgets.get("kind").asText()).isEqualTo("Widget");
        assertThat(widgets.get("namespaced").asBoolean()).isFalse();
        assertThat(widgets.get("shortNames").get(0).asText()).isEqualTo("wg");
        assertThat(Discovery.document("/apis/example.io/v0", "x", custom)).isEmpty();
        // without the CRD applied there is no dbsnap group either
        assertThat(Discovery.document("/apis/dbsnap.io/v1alpha1", "x", java.util.Map.of())).isEmpty();
    }

    @Test
    void theServerAnswersDiscoveryFromTheCrdsAppliedToIt() throws Exception {
        try (SandboxApiServer server = new SandboxApiServer().start(0)) {
            var client = server.client();
            assertThat(client.getApiGroups().getGroups()).extracting(g -> g.getName()).doesNotContain("dbsnap.io");
            client.resource(client.getKubernetesSerialization().unmarshal(java.nio.file.Files.readString(
                    java.nio.file.Path.of("").toAbsolutePath().getParent()
                            .resolve("crds/databasesnapshots.dbsnap.io.yaml")),
                    io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class)).create();
            assertThat(client.getApiGroups().getGroups()).extracting(g -> g.getName()).contains("dbsnap.io");
            assertThat(client.getApiResources("dbsnap.io/v1alpha1").getResources())
                    .extracting(r -> r.getName()).contains("databasesnapshots");
        }
    }
}
