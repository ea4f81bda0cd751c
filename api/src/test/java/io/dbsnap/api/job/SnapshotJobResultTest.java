package io.dbsnap.api.job;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotJobResultTest {

    @Test
    void aSuccessReadsBackAsItWasWritten() {
        SnapshotJobResult result = SnapshotJobResult.success("id", "s3://b/p/ns/src/id/", 10L, 20L, "sha256:ff",
                "postgresql", "15.18", "ns/src");
        assertThat(SnapshotJobResult.parse(result.toJson())).isEqualTo(result);
    }

    @Test
    void aCutOrForeignMessageIsNoResult() {
        assertThat(SnapshotJobResult.parse("{\"succeeded\":true,\"location\":\"s3://b")).isNull();
        assertThat(SnapshotJobResult.parse("Error: OOMKilled")).isNull();
        assertThat(SnapshotJobResult.parse("")).isNull();
        assertThat(SnapshotJobResult.parse(null)).isNull();
    }

    @Test
    void aLongMultiByteFailureStillFitsTheTerminationMessageWithItsReason() {
        for (String unit : new String[]{"数据库错误", "\u0001", "é", "a"}) {
            String json = SnapshotJobResult.failure("DumpFailed", unit.repeat(5000)).toJson();

            assertThat(json.getBytes(StandardCharsets.UTF_8).length).as(unit).isLessThanOrEqualTo(4096);
            SnapshotJobResult back = SnapshotJobResult.parse(json);
            assertThat(back.reason()).isEqualTo("DumpFailed");
            assertThat(back.message()).startsWith(unit).endsWith("[...]");
        }
    }
}
