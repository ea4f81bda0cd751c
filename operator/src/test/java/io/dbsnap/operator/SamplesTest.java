package io.dbsnap.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dbsnap.api.v1alpha1.DatabaseSnapshot;
import io.dbsnap.operator.snapshot.SnapshotSpecValidator;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every sample in samples/ parses, passes the CRD's schema in crds/, and passes the operator's own checks. */
class SamplesTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Stream<Path> samples() throws IOException {
        return Files.list(ROOT.resolve("samples")).filter(p -> p.toString().endsWith(".yaml")).sorted();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void sampleIsValid(Path sample) throws IOException {
        JsonNode object = YAML.readTree(sample.toFile());
        assertThat(object.path("apiVersion").asText()).as(sample.toString()).isNotEmpty();
        assertThat(object.path("metadata").path("name").asText()).as(sample.toString()).isNotEmpty();
        if (!"DatabaseSnapshot".equals(object.path("kind").asText())) {
            return;
        }
        JsonNode schema = YAML.readTree(ROOT.resolve("crds/databasesnapshots.dbsnap.io.yaml").toFile())
                .path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema")
                .path("properties").path("spec");
        assertThat(violations(schema, object.path("spec"), "spec")).as(sample.toString()).isEmpty();
        DatabaseSnapshot snapshot = new KubernetesSerialization().unmarshal(Files.readString(sample),
                DatabaseSnapshot.class);
        assertThat(SnapshotSpecValidator.validate(snapshot.getSpec())).as(sample.toString()).isEmpty();
    }

    @Test
    void theSchemaCheckCatchesMistakes() throws IOException {
        JsonNode schema = YAML.readTree(ROOT.resolve("crds/databasesnapshots.dbsnap.io.yaml").toFile())
                .path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema")
                .path("properties").path("spec");
        JsonNode wrong = YAML.readTree("""
                source: {engine: oracle, pod: {name: db-0}, colour: blue}
                storage: {s3: {bucket: snapshots}}
                compression: lz4
                """);
        assertThat(violations(schema, wrong, "spec")).containsExactlyInAnyOrder(
                "spec.compression: lz4 is not one of [\"gzip\",\"none\",\"zstd\"]",
                "spec.source.colour: unknown field",
                "spec.source.engine: oracle does not match ^(postgresql|mysql|mariadb|redis|sqlite)$",
                "spec.storage.s3.credentialsSecret: required");
    }

    /** A structural schema's checks that matter for samples: fields, required, types, enums, patterns. */
    static List<String> violations(JsonNode schema, JsonNode value, String path) {
        List<String> found = new ArrayList<>();
        String type = schema.path("type").asText();
        if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean() || schema.has("x-kubernetes-int-or-string")) {
            return found;
        }
        switch (type) {
            case "object" -> {
                if (!value.isObject()) {
                    found.add(path + ": not an object");
                    return found;
                }
                for (JsonNode required : schema.path("required")) {
                    if (!value.has(required.asText())) {
                        found.add(path + "." + required.asText() + ": required");
                    }
                }
                JsonNode properties = schema.path("properties");
                JsonNode additional = schema.path("additionalProperties");
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    String child = path + "." + field.getKey();
                    if (properties.has(field.getKey())) {
                        found.addAll(violations(properties.get(field.getKey()), field.getValue(), child));
                    } else if (additional.isObject()) {
                        found.addAll(violations(additional, field.getValue(), child));
                    } else {
                        found.add(child + ": unknown field");
                    }
                }
            }
            case "array" -> {
                if (!value.isArray()) {
                    found.add(path + ": not an array");
                    return found;
                }
                for (int i = 0; i < value.size(); i++) {
                    found.addAll(violations(schema.path("items"), value.get(i), path + "[" + i + "]"));
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    found.add(path + ": not a string");
                } else if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText())
                        .matcher(value.asText()).find()) {
                    found.add(path + ": " + value.asText() + " does not match " + schema.get("pattern").asText());
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    found.add(path + ": not an integer");
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    found.add(path + ": not a boolean");
                }
            }
            default -> {
            }
        }
        if (schema.has("enum") && value.isValueNode()) {
            List<String> allowed = new ArrayList<>();
            schema.get("enum").forEach(e -> allowed.add(e.asText()));
            if (!allowed.contains(value.asText())) {
                found.add(path + ": " + value.asText() + " is not one of " + schema.get("enum"));
            }
        }
        return found;
    }
}
