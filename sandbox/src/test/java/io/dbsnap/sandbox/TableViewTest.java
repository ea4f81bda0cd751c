package io.dbsnap.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kubectl get} answers as an API server gives them: a Table with the CRD's own printer columns. */
class TableViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-02T03:00:00Z");

    private static JsonNode crd() throws Exception {
        Path file = Path.of("").toAbsolutePath().getParent().resolve("crds/databasesnapshots.dbsnap.io.yaml");
        return JSON.valueToTree(new KubernetesSerialization().unmarshal(Files.readString(file),
                CustomResourceDefinition.class));
    }

    @Test
    void theColumnsAreTheCrdsAndTheCellsTheObjectsFields() throws Exception {
        JsonNode list = JSON.readTree("""
                {"kind": "DatabaseSnapshotList", "metadata": {"resourceVersion": "42"}, "items": [
                  {"apiVersion": "dbsnap.io/v1alpha1", "kind": "DatabaseSnapshot",
                   "metadata": {"name": "nightly", "creationTimestamp": "2026-12-02T02:55:00Z"},
                   "status": {"engine": "postgresql", "source": "prod/db-0", "phase": "Succeeded",
                              "displaySize": "3.4 MiB", "checksum": "sha256:ab"}},
                  {"apiVersion": "dbsnap.io/v1alpha1", "kind": "DatabaseSnapshot",
                   "metadata": {"name": "fresh", "creationTimestamp": "2026-12-02T02:59:30Z"}}]}
                """);

        JsonNode table = JSON.readTree(TableView.of(crd(), list, NOW));

        List<String> columns = new ArrayList<>();
        table.get("columnDefinitions").forEach(c -> columns.add(c.get("name").asText()));
        assertThat(columns).containsExactly("Name", "Engine", "Source", "Phase", "Size", "Age", "Checksum", "Location",
                "Progress");
        assertThat(table.get("columnDefinitions").get(6).get("priority").asInt()).as("-o wide only").isEqualTo(1);
        assertThat(table.path("metadata").path("resourceVersion").asText()).isEqualTo("42");
        JsonNode first = table.get("rows").get(0).get("cells");
        assertThat(first.get(0).asText()).isEqualTo("nightly");
        assertThat(first.get(3).asText()).isEqualTo("Succeeded");
        assertThat(first.get(4).asText()).isEqualTo("3.4 MiB");
        assertThat(first.get(5).asText()).isEqualTo("5m");
        assertThat(first.get(7).isNull()).as("no location yet").isTrue();
        JsonNode second = table.get("rows").get(1).get("cells");
        assertThat(second.get(3).isNull()).isTrue();
        assertThat(second.get(5).asText()).isEqualTo("30s");
        assertThat(table.get("rows").get(1).path("object").path("metadata").path("name").asText()).isEqualTo("fresh");
    }

    @ParameterizedTest
    @CsvSource({"2026-12-02T02:59:15Z, 45s", "2026-12-02T02:54:48Z, 5m12s", "2026-12-02T01:00:00Z, 120m",
            "2026-12-01T03:00:00Z, 24h", "2026-11-25T03:00:00Z, 7d", "2026-12-02T04:00:00Z, 0s", "garbage, <unknown>"})
    void agesAreKubectlsShortOnes(String timestamp, String age) {
        assertThat(TableView.age(timestamp, NOW)).isEqualTo(age);
    }
}
