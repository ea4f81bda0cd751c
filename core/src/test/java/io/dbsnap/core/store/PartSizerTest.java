package io.dbsnap.core.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartSizerTest {

    private static final long MIB = 1024L * 1024;
    private static final long TIB = 1024L * 1024 * MIB;

    @Test
    void aOneTebibyteDumpFitsTheTenThousandPartLimit() {
        assertThat(PartSizer.DEFAULT.capacity(PartSizer.MAX_PARTS)).isGreaterThanOrEqualTo(TIB);
    }

    @Test
    void ordinaryDatabasesUseSmallParts() {
        // up to 2 GB of compressed dump the buffers stay at 8 MiB
        assertThat(PartSizer.DEFAULT.capacity(250)).isEqualTo(2000 * MIB);
        assertThat(PartSizer.DEFAULT.partSize(1)).isEqualTo(8 * MIB);
        assertThat(PartSizer.DEFAULT.partSize(250)).isEqualTo(8 * MIB);
        assertThat(PartSizer.DEFAULT.partSize(251)).isEqualTo(16 * MIB);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 249, 250, 251, 5000, 9999, 10000})
    void everyPartIsWithinS3Limits(int partNumber) {
        int size = PartSizer.DEFAULT.partSize(partNumber);
        assertThat(size).isGreaterThanOrEqualTo(PartSizer.MIN_PART);
        assertThat((long) size).isLessThanOrEqualTo(5L * 1024 * MIB);
        assertThat(size).isGreaterThanOrEqualTo(PartSizer.DEFAULT.partSize(Math.max(1, partNumber - 1)));
    }

    @Test
    void rejectsPartsS3WouldRefuse() {
        assertThatThrownBy(() -> new PartSizer(1024, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PartSizer.DEFAULT.partSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PartSizer.DEFAULT.partSize(10_001)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void partsStopGrowingWhereTheHeapEnds() {
        // buffers in flight, filling and spare share the heap, less a reserve
        assertThat(S3MultipartWriter.maxPartBytes(1024 * MIB, 2)).isEqualTo((int) (960 * MIB / 4));
        assertThat(S3MultipartWriter.maxPartBytes(64 * MIB, 2)).isEqualTo(PartSizer.MIN_PART);
        // with the launcher's 1 GiB heap, capped parts still hold 1 TiB in 10,000 parts
        long capacity = 0;
        int cap = S3MultipartWriter.maxPartBytes(1024 * MIB, 2);
        for (int part = 1; part <= PartSizer.MAX_PARTS; part++) {
            capacity += Math.min(PartSizer.DEFAULT.partSize(part), cap);
        }
        assertThat(capacity).isGreaterThanOrEqualTo(TIB);
    }
}
