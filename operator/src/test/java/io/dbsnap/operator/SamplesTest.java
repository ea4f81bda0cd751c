package io.dbsnap.operator;

import io.dbsnap.operator.common.SecretRefs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dbsnap.api.v1alpha1.restore.SnapshotRestore;
import io.dbsnap.api.v1alpha1.schedule.SnapshotSchedule;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.operator.schedule.CronSlots;
import io.dbsnap.operator.schedule.ScheduledSnapshots;
import io.dbsnap.operator.snapshot.SnapshotSpecValidator;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every sample in samples/ is checked as what it is: a DatabaseSnapshot against the CRD's schema in
 * crds/, its CEL rules (evaluated, {@link CrdRules}) and the operator's own checks; a Secret as a
 * Secret holding the keys the snapshot samples read from it; masking rules against the demo's tables. A
 * sample of a kind no test knows fails.
 */
class SamplesTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * Masking rules are no resource: they must bind, strictly, to the tables of the demo's orders database
     * (scripts/demo.sh), as make demo binds them.
     */
    private static void maskRulesFitTheDemo(Path sample) {
        List<io.dbsnap.core.mask.DumpTable> demo = List.of(
                new io.dbsnap.core.mask.DumpTable("public", "customers", List.of(
                        new io.dbsnap.core.mask.DumpTable.Column("id", "bigint", true),
                        new io.dbsnap.core.mask.DumpTable.Column("name", "text", false),
                        new io.dbsnap.core.mask.DumpTable.Column("email", "text", false),
                        new io.dbsnap.core.mask.DumpTable.Column("joined", "timestamp with time zone", false)),
                        Set.of("id", "email")),
                new io.dbsnap.core.mask.DumpTable("public", "orders", List.of(
                        new io.dbsnap.core.mask.DumpTable.Column("id", "bigint", true),
                        new io.dbsnap.core.mask.DumpTable.Column("customer_id", "bigint", false),
                        new io.dbsnap.core.mask.DumpTable.Column("total", "numeric(10,2)", false),
                        new io.dbsnap.core.mask.DumpTable.Column("items", "jsonb", false),
                        new io.dbsnap.core.mask.DumpTable.Column("receipt", "bytea", false),
                        new io.dbsnap.core.mask.DumpTable.Column("placed_at", "timestamp with time zone", false)),
                        Set.of("id")));
        io.dbsnap.core.mask.MaskRules rules = io.dbsnap.core.mask.MaskRules.read(sample);
        assertThat(rules.strict()).as(sample + " is strict, as the README recommends").isTrue();
        assertThat(io.dbsnap.core.mask.MaskPlan.bind(rules, io.dbsnap.core.mask.MaskKey.of("sixteen bytes at least"),
                demo, io.dbsnap.core.mask.Dialect.POSTGRESQL).describe()).as(sample.toString()).isNotEmpty();
    }

    static Stream<Path> samples() throws IOException {
        return Files.list(ROOT.resolve("samples")).filter(p -> p.toString().endsWith(".yaml")).sorted();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void sampleIsValid(Path sample) throws IOException {
        JsonNode object = YAML.readTree(sample.toFile());
        if (object.has("tables") && !object.has("apiVersion")) {
            maskRulesFitTheDemo(sample);
            return;
        }
        assertThat(object.path("apiVersion").asText()).as(sample.toString()).isNotEmpty();
        assertThat(object.path("metadata").path("name").asText()).as(sample.toString()).isNotEmpty();
        switch (object.path("kind").asText()) {
            case "DatabaseSnapshot" -> {
                JsonNode schema = specSchema();
                assertThat(violations(schema, object.path("spec"), "spec")).as(sample.toString()).isEmpty();
                assertThat(CrdRules.onCreate(schema, object.path("spec"), "spec")).as(sample.toString()).isEmpty();
                DatabaseSnapshot snapshot = new KubernetesSerialization().unmarshal(Files.readString(sample),
                        DatabaseSnapshot.class);
                assertThat(SnapshotSpecValidator.validate(snapshot.getSpec())).as(sample.toString()).isEmpty();
            }
            case "SnapshotRestore" -> {
                JsonNode schema = specSchema("snapshotrestores.dbsnap.io.yaml");
                assertThat(violations(schema, object.path("spec"), "spec")).as(sample.toString()).isEmpty();
                assertThat(CrdRules.onCreate(schema, object.path("spec"), "spec")).as(sample.toString()).isEmpty();
                SnapshotRestore restore = new KubernetesSerialization().unmarshal(Files.readString(sample),
                        SnapshotRestore.class);
                if (restore.getSpec().getTarget() != null) {
                    assertThat(SnapshotSpecValidator.validateSource(restore.getSpec().getTarget(), "spec.target"))
                            .as(sample.toString()).isEmpty();
                }
                if (restore.getSpec().getSource().getLocation() != null) {
                    assertThat(SnapshotSpecValidator.validateStorage(restore.getSpec().getSource().getLocation(),
                            "spec.source.location", Set.of())).as(sample.toString()).isEmpty();
                }
            }
            case "SnapshotSchedule" -> {
                JsonNode schema = specSchema("snapshotschedules.dbsnap.io.yaml");
                assertThat(violations(schema, object.path("spec"), "spec")).as(sample.toString()).isEmpty();
                assertThat(CrdRules.onCreate(schema, object.path("spec"), "spec")).as(sample.toString()).isEmpty();
                SnapshotSchedule schedule = new KubernetesSerialization().unmarshal(Files.readString(sample),
                        SnapshotSchedule.class);
                assertThat(CronSlots.parse(schedule.getSpec().getSchedule(), schedule.getSpec().getTimeZone())
                        .problem()).as(sample.toString()).isNull();
                DatabaseSnapshot child = ScheduledSnapshots.of(schedule, java.time.Instant.EPOCH,
                        new KubernetesSerialization());
                assertThat(SnapshotSpecValidator.validate(child.getSpec())).as(sample.toString()).isEmpty();
            }
            case "Secret" -> {
                Secret secret = new KubernetesSerialization().unmarshal(Files.readString(sample), Secret.class);
                assertThat(secret.getApiVersion()).isEqualTo("v1");
                assertThat(keys(secret)).as(sample + ": keys").isNotEmpty();
            }
            default -> throw new AssertionError(sample + " is a " + object.path("kind").asText()
                    + ", which no test checks: add its check here");
        }
    }

    @Test
    void everyS3SecretTheSnapshotSamplesReadIsASampleWithThoseKeys() throws IOException {
        KubernetesSerialization serialization = new KubernetesSerialization();
        Map<String, Set<String>> secrets = new HashMap<>();
        List<DatabaseSnapshot> snapshots = new ArrayList<>();
        for (Path sample : samples().toList()) {
            String kind = YAML.readTree(sample.toFile()).path("kind").asText();
            if (kind.equals("Secret")) {
                Secret secret = serialization.unmarshal(Files.readString(sample), Secret.class);
                secrets.put(secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName(), keys(secret));
            } else if (kind.equals("DatabaseSnapshot")) {
                snapshots.add(serialization.unmarshal(Files.readString(sample), DatabaseSnapshot.class));
            }
        }
        assertThat(snapshots).hasSizeGreaterThanOrEqualTo(5);
        for (DatabaseSnapshot snapshot : snapshots) {
            SecretRefs.Pair s3 = SecretRefs.s3(snapshot.getSpec().getStorage().getS3());
            String name = snapshot.getMetadata().getNamespace() + "/" + s3.secret();
            assertThat(secrets).as(snapshot.getMetadata().getName() + " reads " + name).containsKey(name);
            assertThat(secrets.get(name)).as(name).contains(s3.firstKey(), s3.secondKey());
        }
    }

    @Test
    void theCrdsRulesAreEvaluatedAndCatchMistakes() throws IOException {
        JsonNode schema = specSchema();
        assertThat(CrdRules.count(schema)).as("rules in the CRD").isEqualTo(7);
        String storage = "storage: {s3: {bucket: b, credentialsSecret: {name: s3}}}\n";
        assertThat(CrdRules.onCreate(schema, YAML.readTree("source: {pod: {name: db-0, selector: {matchLabels: "
                + "{app: db}}}}\n" + storage), "spec")).containsExactly(
                "spec.source.pod: set exactly one of pod.name and pod.selector");
        assertThat(CrdRules.onCreate(schema, YAML.readTree("source: {pod: {container: db}}\n" + storage), "spec"))
                .containsExactly("spec.source.pod: set exactly one of pod.name and pod.selector");
        assertThat(CrdRules.onCreate(schema, YAML.readTree("source: {engine: sqlite, pod: {name: app-0}}\n" + storage),
                "spec")).containsExactly("spec.source: a sqlite source needs path, the database file in the pod");
        assertThat(CrdRules.onCreate(schema, YAML.readTree("source: {engine: sqlite, path: /data/app.db, pod: {name: "
                + "app-0}}\n" + storage), "spec")).isEmpty();
        // storage is a one-of: no backend is refused, as another would be beside s3
        assertThat(CrdRules.onCreate(schema, YAML.readTree("source: {pod: {name: db-0}}\nstorage: {}\n"), "spec"))
                .containsExactly("spec.storage: set exactly one storage backend: s3");
        // encryption names at least one recipient, and recipientsFrom exactly one source
        String source = "source: {pod: {name: db-0}}\n" + storage;
        assertThat(CrdRules.onCreate(schema, YAML.readTree(source + "encryption: {recipients: []}\n"), "spec"))
                .containsExactly("spec.encryption: name at least one recipient: recipients or recipientsFrom");
        assertThat(CrdRules.onCreate(schema, YAML.readTree(source + "encryption: {}\n"), "spec"))
                .containsExactly("spec.encryption: name at least one recipient: recipients or recipientsFrom");
        assertThat(CrdRules.onCreate(schema, YAML.readTree(source + "encryption: {recipientsFrom: {}}\n"), "spec"))
                .containsExactly("spec.encryption.recipientsFrom: give exactly one of configMapKeyRef and secretKeyRef");
        assertThat(CrdRules.onCreate(schema, YAML.readTree(source + "encryption: {recipientsFrom: {configMapKeyRef: "
                + "{name: k, key: r}, secretKeyRef: {name: k, key: r}}}\n"), "spec"))
                .containsExactly("spec.encryption.recipientsFrom: give exactly one of configMapKeyRef and secretKeyRef");
        String recipient = io.dbsnap.core.crypto.AgeKeys.generate().recipient();
        assertThat(CrdRules.onCreate(schema, YAML.readTree(source + "encryption: {recipients: [" + recipient + "]}\n"),
                "spec")).isEmpty();
        String identity = io.dbsnap.core.crypto.AgeKeys.generate().identity();
        for (String bad : new String[]{identity, identity.toLowerCase(), "age1x", recipient + "x"}) {
            assertThat(CrdRules.onCreate(schema, YAML.readTree(source + "encryption: {recipients: [" + recipient + ", "
                    + bad + "]}\n"), "spec")).singleElement().asString().contains("recipients are age public keys")
                    .doesNotContain(identity.substring(16)).doesNotContain(identity.toLowerCase().substring(16));
        }
        // the spec is immutable: an edit is refused, an update that leaves it alone is not
        JsonNode before = YAML.readTree("source: {pod: {name: db-0}}\n" + storage);
        JsonNode edited = YAML.readTree("source: {pod: {name: db-1}}\n" + storage);
        assertThat(CrdRules.onUpdate(schema, before, edited, "spec"))
                .containsExactly("spec: spec is immutable: create a new DatabaseSnapshot instead");
        assertThat(CrdRules.onUpdate(schema, before, before.deepCopy(), "spec")).isEmpty();
    }

    private static JsonNode specSchema() throws IOException {
        return specSchema("databasesnapshots.dbsnap.io.yaml");
    }

    private static JsonNode specSchema(String crd) throws IOException {
        return YAML.readTree(ROOT.resolve("crds").resolve(crd).toFile())
                .path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema")
                .path("properties").path("spec");
    }

    private static Set<String> keys(Secret secret) {
        Set<String> keys = new HashSet<>();
        if (secret.getData() != null) {
            keys.addAll(secret.getData().keySet());
        }
        if (secret.getStringData() != null) {
            keys.addAll(secret.getStringData().keySet());
        }
        return keys;
    }

    @Test
    void theSchemaCheckCatchesMistakes() throws IOException {
        JsonNode schema = specSchema();
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
