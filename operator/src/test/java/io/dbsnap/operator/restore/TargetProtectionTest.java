package io.dbsnap.operator.restore;

import io.dbsnap.api.job.FailureReason;
import io.dbsnap.operator.job.Problem;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TargetProtectionTest {

    private static final String ID = TargetProtection.identity("prod", "orders-db-0", "orders");
    private static final Map<String, String> PROTECTED = Map.of(TargetProtection.ANNOTATION, "true");

    @Test
    void anUnprotectedTargetNeedsNoConfirmation() {
        assertThat(TargetProtection.check(Map.of(), Map.of(), ID, null)).isEmpty();
        assertThat(TargetProtection.check(null, null, ID, "anything")).isEmpty();
        assertThat(TargetProtection.check(Map.of(TargetProtection.ANNOTATION, "false"), Map.of(), ID, null)).isEmpty();
    }

    @Test
    void aProtectedPodOrNamespaceNeedsItsExactIdentity() {
        assertThat(ID).isEqualTo("prod/orders-db-0/orders");
        for (Map<String, String>[] where : java.util.List.of(new Map[]{PROTECTED, Map.of()}, new Map[]{Map.of(), PROTECTED})) {
            assertThat(TargetProtection.check(where[0], where[1], ID, ID)).isEmpty();
            for (String wrong : new String[]{null, "", " prod/orders-db-0/orders", "prod/orders-db-0/orders ",
                    "PROD/orders-db-0/orders", "prod/orders-db-1/orders", "prod/orders-db-0/*", "staging/orders-db-0/orders"}) {
                Optional<Problem> refused = TargetProtection.check(where[0], where[1], ID, wrong);
                assertThat(refused).as(String.valueOf(wrong)).hasValueSatisfying(p -> {
                    assertThat(p.reason()).isEqualTo(FailureReason.TARGET_PROTECTED);
                    assertThat(p.message()).contains("spec.confirm: prod/orders-db-0/orders",
                            where[0].isEmpty() ? "on its namespace" : "on its pod");
                });
            }
        }
    }

    @Test
    void aValueThatIsNotFalseProtects() {
        for (String value : new String[]{"true", "True", "yes", "1", "", " true "}) {
            Map<String, String> annotations = new HashMap<>(Map.of(TargetProtection.ANNOTATION, value));
            assertThat(TargetProtection.check(annotations, Map.of(), ID, null)).as("'" + value + "'").isPresent();
        }
    }

    @Test
    void aServerWithoutADatabaseIsNamedAsAWhole() {
        assertThat(TargetProtection.identity("cache", "redis-0", null)).isEqualTo("cache/redis-0/*");
        assertThat(TargetProtection.identity("app", "web-0", "/data/app.db")).isEqualTo("app/web-0//data/app.db");
    }
}
