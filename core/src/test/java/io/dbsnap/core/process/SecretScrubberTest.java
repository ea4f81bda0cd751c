package io.dbsnap.core.process;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SecretScrubberTest {

    @Test
    void masksEverySecretEverywhereLongestFirst() {
        SecretScrubber scrubber = new SecretScrubber(Arrays.asList("pass", "password123", "", null));
        assertThat(scrubber.scrub("FATAL: password123 rejected; pass again: pass"))
                .isEqualTo("FATAL: **** rejected; **** again: ****");
    }

    @Test
    void leavesTextWithoutSecretsAlone() {
        assertThat(new SecretScrubber(List.of()).scrub("pg_dump: error")).isEqualTo("pg_dump: error");
    }

    @Test
    void failedProcessMessagesCarryTheLastStderrLine() {
        ProcessFailedException e = new ProcessFailedException("pg_dump", 1, "line one\nlast words\n\n");
        assertThat(e.getMessage()).isEqualTo("pg_dump failed (exit status 1): last words");
        assertThat(new ProcessFailedException("pg_dump", 137, "").getMessage())
                .isEqualTo("pg_dump failed (killed by signal 9)");
    }

    @Test
    void indentedContinuationLinesJoinTheMessageTheyBelongTo() {
        String psql = "psql: error: connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n"
                + "\tIs the server running on that host and accepting TCP/IP connections?\n";
        assertThat(new ProcessFailedException("psql", 2, psql).getMessage()).isEqualTo("psql failed (exit status 2): "
                + "psql: error: connection to server at \"127.0.0.1\", port 1 failed: Connection refused "
                + "Is the server running on that host and accepting TCP/IP connections?");
    }
}
