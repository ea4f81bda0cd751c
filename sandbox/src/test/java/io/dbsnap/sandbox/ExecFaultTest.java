package io.dbsnap.sandbox;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When an exec fault strikes: at the first chunk of stdout that would take it past its byte count. */
class ExecFaultTest {

    @Test
    void aCutOrAKillStrikesOnTheChunkThatCrossesItsCount() {
        for (ExecFault fault : new ExecFault[]{ExecFault.cutAfter(1000), ExecFault.killAfter(1000)}) {
            assertThat(fault.strikes(0, 1000)).as(fault.kind() + " at exactly the count").isFalse();
            assertThat(fault.strikes(0, 1001)).isTrue();
            assertThat(fault.strikes(999, 2)).isTrue();
            assertThat(fault.strikes(500, 400)).isFalse();
        }
    }

    @Test
    void noFaultAndADroppedTailNeverStrikeMidStream() {
        assertThat(ExecFault.NONE.strikes(0, Integer.MAX_VALUE)).isFalse();
        assertThat(ExecFault.dropTail(10).strikes(1 << 30, 1 << 20)).isFalse();
        assertThat(ExecFault.dropTail(10).afterStdoutBytes()).isEqualTo(10);
    }

    @Test
    void theCheckRunsBeforeTheFaultStrikes() {
        boolean[] ran = {false};
        ExecFault fault = ExecFault.killAfter(5).checkingFirst(() -> ran[0] = true);
        fault.beforeStrike().run();
        assertThat(ran[0]).isTrue();
        assertThat(fault.kind()).isEqualTo(ExecFault.Kind.KILL);
        assertThat(fault.afterStdoutBytes()).isEqualTo(5);
    }
}
