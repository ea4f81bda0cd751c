package io.dbsnap.api.job;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The codec for any agent command's result, shown with one that is not a snapshot's. */
class TerminationMessageTest {

    record CountResult(boolean succeeded, String reason, String message, Long rows) implements AgentResult {
        @Override
        public CountResult withMessage(String message) {
            return new CountResult(succeeded, reason, message, rows);
        }
    }

    @Test
    void anyResultReadsBackAsItWasWritten() {
        CountResult result = new CountResult(true, null, "counted", 42L);
        assertThat(TerminationMessage.read(TerminationMessage.write(result), CountResult.class)).isEqualTo(result);
    }

    @Test
    void fieldsANewerAgentAddsAreIgnoredButNoResultIsMadeUp() {
        assertThat(TerminationMessage.read("{\"succeeded\":true,\"rows\":3,\"progress\":{\"bytes\":1}}",
                CountResult.class)).isEqualTo(new CountResult(true, null, null, 3L));
        assertThat(TerminationMessage.read("[1,2]", CountResult.class)).isNull();
        assertThat(TerminationMessage.read("{\"succeeded\":true,\"rows\":", CountResult.class)).isNull();
        assertThat(TerminationMessage.read("OOMKilled", CountResult.class)).isNull();
        assertThat(TerminationMessage.read("  ", CountResult.class)).isNull();
    }

    @Test
    void aMessageThatDoesNotFitIsShortenedAndTheRestKeptWhole() {
        for (String unit : new String[]{"\"", "\u2028", "😀", "x"}) {
            String json = TerminationMessage.write(new CountResult(false, "DumpFailed", unit.repeat(5000), 9L));

            assertThat(json.getBytes(StandardCharsets.UTF_8).length).as(unit).isLessThanOrEqualTo(
                    TerminationMessage.MAX_BYTES);
            CountResult back = TerminationMessage.read(json, CountResult.class);
            assertThat(back.reason()).isEqualTo("DumpFailed");
            assertThat(back.rows()).isEqualTo(9L);
            assertThat(back.message()).startsWith(unit).endsWith(" [...]");
        }
    }

    @Test
    void shortenedCutsOnlyWhatIsTooLong() {
        assertThat(TerminationMessage.shortened("fine")).isEqualTo("fine");
        assertThat(TerminationMessage.shortened(null)).isNull();
        assertThat(TerminationMessage.shortened("y".repeat(2000)))
                .hasSize(TerminationMessage.MAX_MESSAGE_CHARS + 6).endsWith(" [...]");
    }
}
