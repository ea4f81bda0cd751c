package io.dbsnap.api.manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestCodecTest {

    static final String SHA = "56ef515f7928101da833e8a61917bc371058c2f726a549d465980646292477da";

    static Manifest sample() {
        return new Manifest(1, "20261121-143022-orders-before-migration", "postgresql", "16.3",
                new ManifestSource("prod", "orders-db-0", "orders-db-0", "postgres", null, null, "orders"),
                Instant.parse("2026-11-21T14:30:22Z"), Instant.parse("2026-11-21T14:31:02Z"), "before-migration",
                "Pre-schema update", "0.1.0", "zstd", "none",
                List.of(new ManifestFile("pg.dump.zst", 123, 456, SHA)));
    }

    @Test
    void roundTripsAndKeepsTheDesignedFieldNames() throws Exception {
        byte[] json = ManifestCodec.toJson(sample());
        String text = new String(json, StandardCharsets.UTF_8);
        assertThat(text).contains("\"formatVersion\" : 1", "\"engineVersion\" : \"16.3\"", "\"rawSize\" : 456",
                "\"sha256\" : \"" + SHA + "\"", "\"createdAt\" : \"2026-11-21T14:30:22Z\"");
        assertThat(text).doesNotContain("\"host\"");
        assertThat(ManifestCodec.fromJson(json)).isEqualTo(sample());
        assertThat(sample().size()).isEqualTo(123);
        assertThat(sample().rawSize()).isEqualTo(456);
    }

    @Test
    void ignoresFieldsAddedByNewerWriters() throws Exception {
        String json = new String(ManifestCodec.toJson(sample()), StandardCharsets.UTF_8)
                .replace("\"tag\"", "\"futureField\" : {\"x\": 1}, \"tag\"");
        assertThat(ManifestCodec.fromJson(json.getBytes(StandardCharsets.UTF_8)).tag()).isEqualTo("before-migration");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\"formatVersion\" : 1|\"formatVersion\" : 2",
            "\"sha256\" : \"" + SHA + "\"|\"sha256\" : \"xyz\"",
            "\"engine\" : \"postgresql\",|",
            "\"size\" : 123|\"size\" : -1",
            "\"id\" : \"20261121-143022-orders-before-migration\",|",
            // data this dbsnap cannot decrypt is never read as plain data
            "\"encryption\" : \"none\"|\"encryption\" : \"age\"",
            "\"encryption\" : \"none\"|\"encryption\" : \"\""})
    void rejectsManifestsAReaderCannotTrust(String edit) {
        String[] parts = edit.split("\\|", -1);
        String json = new String(ManifestCodec.toJson(sample()), StandardCharsets.UTF_8).replace(parts[0], parts[1]);
        assertThat(json).doesNotContain(parts[0]);
        assertThatThrownBy(() -> ManifestCodec.fromJson(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ManifestCodec.InvalidManifestException.class);
    }

    @Test
    void rejectsSomethingThatIsNotJson() {
        assertThatThrownBy(() -> ManifestCodec.fromJson("PGDMP".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ManifestCodec.InvalidManifestException.class).hasMessageStartingWith("not a manifest");
    }
}
