package io.dbsnap.core.engine;

import io.dbsnap.core.pipeline.DumpIncompleteException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What redis-cli --rdb - writes after the RDB, told from what it says on stderr (as redis-cli 7.0 words it). */
class RedisDumpTrailerTest {

    private static final RedisEngine REDIS = new RedisEngine();
    private static final byte[] MARKER = "8ac89748ff54029eafc8af001e0aeb26fcdb90b0".getBytes(StandardCharsets.US_ASCII);
    private static final String MARKED = """
            sending REPLCONF capa eof
            sending REPLCONF rdb-only 1
            SYNC sent to master, writing bytes of bulk transfer until EOF marker to '-'
            Transfer finished with success after 182 bytes
            """;
    private static final String SIZED = """
            sending REPLCONF capa eof
            sending REPLCONF rdb-only 1
            SYNC sent to master, writing 182 bytes to '-'
            Transfer finished with success.
            """;

    @Test
    void aDisklessTransfersMarkerIsDroppedOnlyWhenTheLengthsAgreeExactly() {
        assertThat(REDIS.dumpTrailer(222, MARKER, MARKED)).isEqualTo(40);
        // a redis-cli that leaves no marker behind
        assertThat(REDIS.dumpTrailer(182, MARKER, MARKED)).isZero();
        for (long streamed : new long[]{0, 1, 181, 183, 221, 223, 1182, 182 + 80}) {
            assertThatThrownBy(() -> REDIS.dumpTrailer(streamed, MARKER, MARKED)).as("%d bytes", streamed)
                    .isInstanceOf(DumpIncompleteException.class).hasMessageContaining("nothing was stored");
        }
    }

    @Test
    void theDroppedEndMustLookLikeTheMarker() {
        byte[] notHex = MARKER.clone();
        notHex[39] = (byte) 0xff;
        byte[] upper = new String(MARKER, StandardCharsets.US_ASCII).toUpperCase().getBytes(StandardCharsets.US_ASCII);
        byte[] rdbEnd = new byte[40];
        rdbEnd[31] = (byte) 0xff;
        for (byte[] held : new byte[][]{notHex, upper, rdbEnd, java.util.Arrays.copyOf(MARKER, 39)}) {
            assertThatThrownBy(() -> REDIS.dumpTrailer(222, held, MARKED))
                    .isInstanceOf(DumpIncompleteException.class);
        }
    }

    @Test
    void aTransferWithALengthMustBeExactlyThatLong() {
        assertThat(REDIS.dumpTrailer(182, MARKER, SIZED)).isZero();
        for (long streamed : new long[]{181, 183, 222}) {
            assertThatThrownBy(() -> REDIS.dumpTrailer(streamed, MARKER, SIZED)).as("%d bytes", streamed)
                    .isInstanceOf(DumpIncompleteException.class);
        }
        // the length was announced but the transfer never said it finished
        assertThatThrownBy(() -> REDIS.dumpTrailer(182, MARKER, SIZED.replace("Transfer finished with success.\n", "")))
                .isInstanceOf(DumpIncompleteException.class);
    }

    @Test
    void noWordOfAFinishedTransferIsAFailure() {
        for (String stderr : new String[]{"", "I/O error\n", "SYNC sent to master, writing bytes of bulk transfer until "
                + "EOF marker to '-'\n", "x Transfer finished with success after 182 bytes\n", "Transfer finished with success after 182 bytes!\n",
                "Transfer finished with success after ****\n"}) {
            assertThatThrownBy(() -> REDIS.dumpTrailer(222, MARKER, stderr)).as(stderr)
                    .isInstanceOf(DumpIncompleteException.class).hasMessageContaining("nothing was stored");
        }
    }

    @Test
    void otherWordingsOfTheSameReports() {
        // valkey-cli 8 says "primary"; redis-cli 6.0 prints both success lines after a marked transfer
        assertThat(REDIS.dumpTrailer(182, MARKER, SIZED.replace("to master", "to primary"))).isZero();
        assertThatThrownBy(() -> REDIS.dumpTrailer(183, MARKER, SIZED.replace("to master", "to primary")))
                .isInstanceOf(DumpIncompleteException.class);
        String both = MARKED + "Transfer finished with success.\n";
        assertThat(REDIS.dumpTrailer(222, MARKER, both)).isEqualTo(40);
        assertThatThrownBy(() -> REDIS.dumpTrailer(221, MARKER, both)).isInstanceOf(DumpIncompleteException.class);
        // the temporary-file path names its file
        assertThat(REDIS.dumpTrailer(182, MARKER, SIZED.replace("'-'", "'./.dbsnap-copy.AbC123'"))).isZero();
    }

    @Test
    void theLastReportCounts() {
        // only redis-cli prints these lines; should two appear, the later one describes the stream
        String twice = MARKED.replace("after 182 bytes", "after 100 bytes") + "Transfer finished with success after 182 bytes\n";
        assertThat(REDIS.dumpTrailer(222, MARKER, twice)).isEqualTo(40);
    }
}
