package io.dbsnap.operator.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dbsnap.operator.CrdRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SnapshotRestore CRD in crds/, as {@code make crds} generates it from the API classes: the source
 * is a one-of, the spec is immutable, kubectl shows the columns DESIGN.md names, in that order.
 */
class RestoreCrdTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String STORAGE = "{bucket: b, credentialsSecret: {name: s3}}";
    private static JsonNode crd;

    @BeforeAll
    static void read() throws Exception {
        crd = YAML.readTree(Files.readString(Path.of("").toAbsolutePath().getParent()
                .resolve("crds/snapshotrestores.dbsnap.io.yaml")));
    }

    private static JsonNode spec() {
        return crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema").path("properties")
                .path("spec");
    }

    private static List<String> onCreate(String yaml) throws Exception {
        return CrdRules.onCreate(spec(), YAML.readTree(yaml), "spec");
    }

    @Test
    void theResourceIsNamedAsDesignSaysWithItsColumns() {
        assertThat(crd.path("spec").path("names").path("shortNames").get(0).asText()).isEqualTo("dbrestore");
        assertThat(crd.path("spec").path("scope").asText()).isEqualTo("Namespaced");
        List<String> columns = new ArrayList<>();
        crd.path("spec").path("versions").get(0).path("additionalPrinterColumns")
                .forEach(c -> columns.add(c.path("name").asText() + (c.path("priority").asInt() > 0 ? " (wide)" : "")));
        assertThat(columns).containsExactly("Source", "Target", "Phase", "Age", "Checksum (wide)",
                "Pre-Restore (wide)", "Progress (wide)");
        assertThat(spec().path("required")).extracting(JsonNode::asText).containsExactly("source");
    }

    @Test
    void theSourceIsExactlyOneOfThree() throws Exception {
        String one = "{snapshotRef: {name: nightly}}";
        assertThat(onCreate("source: " + one)).isEmpty();
        assertThat(onCreate("source: {scheduleRef: {name: orders, before: '2026-12-01T09:00:00Z'}}")).isEmpty();
        assertThat(onCreate("source: {location: {s3: " + STORAGE + ", path: prod/orders-db-0/20261121-143022-x/}}"))
                .isEmpty();
        for (String wrong : new String[]{"{}", "{snapshotRef: {name: a}, scheduleRef: {name: b}}",
                "{snapshotRef: {name: a}, location: {s3: " + STORAGE + ", path: a/b/c/}}"}) {
            assertThat(onCreate("source: " + wrong)).as(wrong)
                    .containsExactly("spec.source: set exactly one of snapshotRef, scheduleRef and location");
        }
        assertThat(onCreate("source: {location: {path: a/b/c/}}"))
                .containsExactly("spec.source.location: set exactly one storage backend: s3");
    }

    @Test
    void aRestoreIsNotEditedIntoAnotherOne() throws Exception {
        JsonNode before = YAML.readTree("source: {snapshotRef: {name: nightly}}");
        JsonNode after = YAML.readTree("source: {snapshotRef: {name: nightly}}\ndryRun: true");
        assertThat(CrdRules.onUpdate(spec(), before, after, "spec"))
                .containsExactly("spec: spec is immutable: create a new SnapshotRestore instead");
        assertThat(CrdRules.onUpdate(spec(), before, before.deepCopy(), "spec")).isEmpty();
    }

    @Test
    void theLocationsPathAndChecksumHaveTheirShapes() {
        JsonNode location = spec().path("properties").path("source").path("properties").path("location")
                .path("properties");
        assertThat("prod/orders-db-0/20261121-143022-x/").matches(location.path("path").path("pattern").asText());
        for (String bad : new String[]{"prod/orders-db-0/", "../x/20261121-143022-x/", "prod/..//20261121-143022-x/",
                "prod/db/20261121-143022-x", "/prod/db/20261121-143022-x/", "prod/db/latest/"}) {
            assertThat(bad).as(bad).doesNotMatch(location.path("path").path("pattern").asText());
        }
        assertThat("sha256:" + "a".repeat(64)).matches(location.path("sha256").path("pattern").asText());
        assertThat("sha256:" + "A".repeat(64)).doesNotMatch(location.path("sha256").path("pattern").asText());
    }
}
