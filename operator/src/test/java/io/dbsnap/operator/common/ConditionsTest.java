package io.dbsnap.operator.common;

import io.fabric8.kubernetes.api.model.Condition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConditionsTest {

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00.123Z");
    private static final Instant T1 = Instant.parse("2026-11-21T10:05:00Z");

    @Test
    void aNewConditionIsAddedWithTheTimeInWholeSeconds() {
        List<Condition> conditions = Conditions.set(null, Conditions.of("Complete", false, "JobPending", "m", 1L), T0);

        assertThat(conditions).singleElement().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-21T10:00:00Z");
            assertThat(c.getObservedGeneration()).isEqualTo(1L);
        });
    }

    @Test
    void theTransitionTimeStaysWhileTheStatusStaysEvenWhenReasonAndMessageChange() {
        List<Condition> first = Conditions.set(null, Conditions.of("Complete", false, "JobPending", "waiting", 1L), T0);
        List<Condition> second = Conditions.set(first, Conditions.of("Complete", false, "JobRunning", "running", 2L), T1);

        assertThat(second).singleElement().satisfies(c -> {
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-21T10:00:00Z");
            assertThat(c.getReason()).isEqualTo("JobRunning");
            assertThat(c.getMessage()).isEqualTo("running");
            assertThat(c.getObservedGeneration()).isEqualTo(2L);
        });
    }

    @Test
    void theTransitionTimeMovesWhenTheStatusFlips() {
        List<Condition> first = Conditions.set(null, Conditions.of("Complete", false, "JobRunning", "m", 1L), T0);
        List<Condition> second = Conditions.set(first, Conditions.of("Complete", true, "SnapshotStored", "m", 1L), T1);

        assertThat(second).singleElement().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-21T10:05:00Z");
        });
    }

    @Test
    void otherConditionsAreKeptInTheirPlace() {
        List<Condition> both = Conditions.set(Conditions.set(null, Conditions.of("Complete", false, "r", "m", 1L), T0),
                Conditions.of("Failed", false, "r", "m", 1L), T0);
        List<Condition> next = Conditions.set(both, Conditions.of("Complete", true, "r", "m", 1L), T1);

        assertThat(next).extracting(Condition::getType).containsExactly("Complete", "Failed");
        assertThat(Conditions.isTrue(next, "Complete")).isTrue();
        assertThat(Conditions.isTrue(next, "Failed")).isFalse();
        assertThat(Conditions.isTrue(null, "Failed")).isFalse();
    }
}
