package io.dbsnap.operator.snapshot;

import io.dbsnap.operator.job.Problem;
import io.dbsnap.api.job.FailureReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotSpecValidatorTest {

    private static Problem problem(String specYaml) {
        return SnapshotSpecValidator.validate(Snapshots.withSpec(specYaml).getSpec()).orElse(null);
    }

    private static final String STORAGE = "storage: {s3: {bucket: snaps, credentialsSecret: {name: s3}}}\n";

    @Test
    void aCompleteSpecIsValid() {
        assertThat(problem("source: {pod: {name: db-0}}\n" + STORAGE)).isNull();
        assertThat(problem("source: {engine: postgresql, pod: {selector: {matchLabels: {app: db}}}}\n" + STORAGE)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "source: {pod: {}}|set exactly one of spec.source.pod.name and spec.source.pod.selector",
            "source: {pod: {name: db-0, selector: {matchLabels: {app: db}}}}|set exactly one of",
            "source: {pod: {selector: {}}}|would match every pod",
            "source: {}|set exactly one of",
    })
    void podChoiceMistakes(String source, String message) {
        Problem problem = problem(source + "\n" + STORAGE);
        assertThat(problem.reason()).isEqualTo(FailureReason.INVALID_SPEC);
        assertThat(problem.message()).contains(message);
    }

    @Test
    void recipientsMustBeAgePublicKeysAndAPrivateKeyIsNeverRepeated() {
        io.dbsnap.core.crypto.AgeKeys.Generated key = io.dbsnap.core.crypto.AgeKeys.generate();
        String source = "source: {pod: {name: db-0}}\n" + STORAGE;
        assertThat(problem(source + "encryption: {recipients: [" + key.recipient() + "]}\n")).isNull();
        assertThat(problem(source + "encryption: {recipientsFrom: {configMapKeyRef: {name: k, key: r}}}\n")).isNull();
        for (String bad : new String[]{key.identity(), key.identity().toLowerCase(), "age1short", "ssh-ed25519 AAAA"}) {
            Problem problem = problem(source + "encryption: {recipients: [\"" + bad + "\"]}\n");
            assertThat(problem.reason()).as(bad).isEqualTo(FailureReason.INVALID_SPEC);
            assertThat(problem.message()).contains("spec.encryption.recipients")
                    .doesNotContain(key.identity().substring(16)).doesNotContain(key.identity().toLowerCase().substring(16));
        }
        assertThat(problem(source + "encryption: {recipients: []}\n").message()).contains("names no recipient");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "storage: {}|spec.storage.s3 is missing",
            "storage: {s3: {credentialsSecret: {name: s3}}}|spec.storage.s3.bucket is missing",
            "storage: {s3: {bucket: snaps}}|spec.storage.s3.credentialsSecret.name is missing",
    })
    void storageMistakes(String storage, String message) {
        Problem problem = problem("source: {pod: {name: db-0}}\n" + storage + "\n");
        assertThat(problem.reason()).isEqualTo(FailureReason.INVALID_SPEC);
        assertThat(problem.message()).contains(message);
    }

    @Test
    void anUnknownEngineNamesTheKnownOnes() {
        Problem problem = problem("source: {engine: oracle, pod: {name: db-0}}\n" + STORAGE);
        assertThat(problem.reason()).isEqualTo(FailureReason.ENGINE_UNKNOWN);
        assertThat(problem.message()).contains("oracle").contains("postgresql");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{key: app, operator: Equals, values: [db]}|operator 'Equals' of key app is not one of",
            "{key: app, operator: in, values: [db]}|operator 'in' of key app",
            "{key: app, values: [db]}|operator 'null'",
            "{key: app, operator: In}|In on key app needs values",
            "{key: app, operator: Exists, values: [db]}|Exists on key app takes no values",
            "{operator: Exists}|every expression needs a key",
    })
    void aSelectorTheApiServerWouldRejectIsInvalidSpec(String expression, String message) {
        Problem problem = problem("source: {pod: {selector: {matchExpressions: [" + expression
                + "]}}}\n" + STORAGE);
        assertThat(problem.reason()).isEqualTo(FailureReason.INVALID_SPEC);
        assertThat(problem.message()).contains(message);
        assertThat(problem("source: {pod: {selector: {matchExpressions: [{key: app, operator: NotIn, values: [x]}, "
                + "{key: tier, operator: DoesNotExist}]}}}\n" + STORAGE)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://evil.example:9000||false",
            "http://minio:9000|http://minio:9000|true",
            "HTTP://MINIO:9000/|http://minio:9000|true",
            "http://minio:9001|http://minio:9000|false",
            "|aws|true",
            "|http://minio:9000|false",
            "https://s3.eu-central-2.amazonaws.com|aws|false",
    })
    void onlyTheConfiguredEndpointsAreAllowed(String endpoint, String allowed, boolean ok) {
        String spec = "source: {pod: {name: db-0}}\nstorage: {s3: {bucket: snaps, credentialsSecret: {name: s3}"
                + (endpoint == null ? "" : ", endpoint: \"" + endpoint + "\"") + "}}\n";
        java.util.Set<String> list = allowed == null ? java.util.Set.of("http://minio:9000", "aws") : java.util.Set.of(allowed);
        var problem = SnapshotSpecValidator.validate(Snapshots.withSpec(spec).getSpec(), list);
        assertThat(problem.isEmpty()).as(String.valueOf(problem)).isEqualTo(ok);
        problem.ifPresent(p -> assertThat(p.message()).contains("is not one this operator sends snapshots to")
                .contains("allowed:"));
        // no list: any endpoint
        assertThat(SnapshotSpecValidator.validate(Snapshots.withSpec(spec).getSpec(), java.util.Set.of())).isEmpty();
    }

    @Test
    void noSourceAtAll() {
        assertThat(problem(STORAGE).message()).contains("spec.source is missing");
    }
}
