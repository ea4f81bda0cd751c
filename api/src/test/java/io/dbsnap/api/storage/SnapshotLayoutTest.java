package io.dbsnap.api.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotLayoutTest {

    @Test
    void idIsUtcTimeAndName() {
        assertThat(SnapshotLayout.snapshotId(Instant.parse("2026-11-21T14:30:22.987Z"), "orders-before-migration"))
                .isEqualTo("20261121-143022-orders-before-migration");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "orders|orders",
            "Orders DB|orders-db",
            "127.0.0.1-5432-app|127.0.0.1-5432-app",
            "../../etc/passwd|etc-passwd",
            "ünïcødé|n-c-d",
            "---|unnamed",
            ".hidden|hidden",
            "a/b\\c|a-b-c"})
    void segmentsAreSafePathSegments(String name, String expected) {
        assertThat(SnapshotLayout.segment(name)).isEqualTo(expected);
    }

    @Test
    void longNamesAreCut() {
        assertThat(SnapshotLayout.segment("x".repeat(500))).hasSize(SnapshotLayout.MAX_SEGMENT);
    }

    @Test
    void prefixAndManifestKeyFollowTheDesign() {
        String prefix = SnapshotLayout.snapshotPrefix("prod", "orders-db-0", "20261121-143022-orders");
        assertThat(prefix).isEqualTo("prod/orders-db-0/20261121-143022-orders/");
        assertThat(SnapshotLayout.manifestKey(prefix)).isEqualTo("prod/orders-db-0/20261121-143022-orders/manifest.json");
        assertThat(SnapshotLayout.isSnapshotId("20261121-143022-orders")).isTrue();
        assertThat(SnapshotLayout.isSnapshotId("orders")).isFalse();
    }
}
