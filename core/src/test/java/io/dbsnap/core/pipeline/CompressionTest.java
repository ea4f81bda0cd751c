package io.dbsnap.core.pipeline;

import io.dbsnap.core.DbsnapException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompressionTest {

    static byte[] dumpLike(int size) {
        Random random = new Random(42);
        StringBuilder text = new StringBuilder();
        while (text.length() < size) {
            text.append(random.nextInt(100000)).append('\t').append(Long.toHexString(random.nextLong()))
                    .append("\t{\"ok\": true}\n");
        }
        return text.substring(0, size).getBytes();
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void roundTrips(Compression compression) throws IOException {
        byte[] data = dumpLike(3 << 20);
        for (int workers : new int[]{0, 2}) {
            ByteArrayOutputStream stored = new ByteArrayOutputStream();
            try (OutputStream out = compression.compress(stored, compression.defaultLevel(), workers)) {
                out.write(data);
            }
            try (InputStream in = compression.decompress(new ByteArrayInputStream(stored.toByteArray()))) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
            if (compression != Compression.NONE) {
                assertThat(stored.size()).isLessThan(data.length / 2);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"ZSTD", "GZIP"})
    void aTruncatedStreamIsAnErrorNotAShorterDump(Compression compression) throws IOException {
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        try (OutputStream out = compression.compress(stored, compression.defaultLevel(), 0)) {
            out.write(dumpLike(1 << 20));
        }
        byte[] cut = Arrays.copyOf(stored.toByteArray(), stored.size() / 2);
        assertThatThrownBy(() -> {
            try (InputStream in = compression.decompress(new ByteArrayInputStream(cut))) {
                in.readAllBytes();
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void parsesNamesAndRejectsOthers() {
        assertThat(Compression.parse("ZSTD")).isEqualTo(Compression.ZSTD);
        assertThat(Compression.parse("none").extension()).isEmpty();
        assertThatThrownBy(() -> Compression.parse("lz4")).isInstanceOf(DbsnapException.class)
                .hasMessageContaining("use zstd, gzip or none");
    }
}
