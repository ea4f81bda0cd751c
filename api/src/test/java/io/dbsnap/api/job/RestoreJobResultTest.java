package io.dbsnap.api.job;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RestoreJobResultTest {

    private static RestoreJobResult dryRun(List<String> plan) {
        return new RestoreJobResult(true, null, null, "20261201-000000-" + "n".repeat(100),
                "s3://" + "b".repeat(63) + "/" + "p".repeat(200) + "/ns/src/20261201-000000-x/", "sha256:" + "a".repeat(64),
                "postgresql", "16.4", "2026-12-01T00:00:00Z", "16.4", 0L, 1L << 40, false, false, false,
                "d".repeat(63), RestoreJobResult.fitted(plan), null);
    }

    @Test
    void aPlanOfAnyNamesFitsTheTerminationMessageAndSaysHowMuchWasLeftOut() {
        // names that JSON escapes to six bytes a character, names in scripts of three and four bytes
        for (String name : List.of("\u0001\u0002\u0003\u0004\u0005\u0006\u0007", "\"\\\"\\\"\\", "表のなまえ",
                "🦀🦀🦀🦀🦀", "plain_table")) {
            List<String> plan = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                plan.add("replace table public." + name.repeat(6) + i);
            }
            RestoreJobResult result = dryRun(plan);
            String json = TerminationMessage.write(result);
            assertThat(json.getBytes(StandardCharsets.UTF_8).length).as(name).isLessThanOrEqualTo(TerminationMessage.MAX_BYTES);
            RestoreJobResult read = RestoreJobResult.parse(json);
            assertThat(read.plan()).as("kept in order").startsWith(plan.get(0), plan.get(1));
            assertThat(read.plan().get(read.plan().size() - 1)).matches("\\.\\.\\. and \\d+ more");
        }
    }

    @Test
    void aShortPlanIsKeptWhole() {
        List<String> plan = List.of("restore into database orders", "replace table public.t", "create table x.y");
        assertThat(RestoreJobResult.fitted(plan)).isEqualTo(plan);
        assertThat(RestoreJobResult.parse(TerminationMessage.write(dryRun(plan))).plan()).isEqualTo(plan);
    }
}
