package io.dbsnap.operator.snapshot;

import io.dbsnap.api.job.SnapshotFailureReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotSpecValidatorTest {

    private static SnapshotSpecValidator.Problem problem(String specYaml) {
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
        SnapshotSpecValidator.Problem problem = problem(source + "\n" + STORAGE);
        assertThat(problem.reason()).isEqualTo(SnapshotFailureReason.INVALID_SPEC);
        assertThat(problem.message()).contains(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "storage: {}|spec.storage.s3 is missing",
            "storage: {s3: {credentialsSecret: {name: s3}}}|spec.storage.s3.bucket is missing",
            "storage: {s3: {bucket: snaps}}|spec.storage.s3.credentialsSecret.name is missing",
    })
    void storageMistakes(String storage, String message) {
        SnapshotSpecValidator.Problem problem = problem("source: {pod: {name: db-0}}\n" + storage + "\n");
        assertThat(problem.reason()).isEqualTo(SnapshotFailureReason.INVALID_SPEC);
        assertThat(problem.message()).contains(message);
    }

    @Test
    void anUnknownEngineNamesTheKnownOnes() {
        SnapshotSpecValidator.Problem problem = problem("source: {engine: oracle, pod: {name: db-0}}\n" + STORAGE);
        assertThat(problem.reason()).isEqualTo(SnapshotFailureReason.ENGINE_UNKNOWN);
        assertThat(problem.message()).contains("oracle").contains("postgresql");
    }

    @Test
    void noSourceAtAll() {
        assertThat(problem(STORAGE).message()).contains("spec.source is missing");
    }
}
