package io.dbsnap.operator.common;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class KubernetesNamesTest {

    @ParameterizedTest
    @CsvSource({
            "orders, snapshot-orders-",
            "orders-nightly-2026-11-21, snapshot-orders-nightly-2026-11-21-",
            // cut where the room ends, never leaving a dash or dot before the hash
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb, snapshot-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-",
            "db.prod.eu.example.com-orders-nightly-with-a-very-long-suffix, snapshot-db.prod.eu.example.com-orders-ni",
    })
    void boundedNamesFitAndKeepTheirStart(String name, String expectedStart) {
        String bounded = KubernetesNames.bounded("snapshot", name, "uid-1", KubernetesNames.MAX_JOB_NAME);

        assertThat(bounded).hasSizeLessThanOrEqualTo(KubernetesNames.MAX_JOB_NAME).startsWith(expectedStart)
                .doesNotContain("--").doesNotContain(".-").matches(".*-[0-9a-f]{6}");
    }

    @ParameterizedTest
    @CsvSource({"orders, orders", "a-b.c, a-b.c"})
    void shortLabelValuesAreTheNameItself(String name, String expected) {
        assertThat(KubernetesNames.labelValue(name)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"64", "100", "253"})
    void longLabelValuesAreCutAndHashed(int length) {
        String name = "x".repeat(length);
        String value = KubernetesNames.labelValue(name);

        assertThat(value).hasSize(63).endsWith("-" + KubernetesNames.hash(name));
        assertThat(KubernetesNames.labelValue(name + "y")).isNotEqualTo(value);
    }
}
