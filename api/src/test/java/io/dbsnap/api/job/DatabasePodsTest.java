package io.dbsnap.api.job;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DatabasePodsTest {

    private static final LabelSelector PRIMARY = new LabelSelectorBuilder()
            .addToMatchLabels("app", "orders").addToMatchLabels("role", "primary")
            .addNewMatchExpression().withKey("tier").withOperator("In").withValues("db", "data").endMatchExpression()
            .addNewMatchExpression().withKey("zone").withOperator("NotIn").withValues("a").endMatchExpression()
            .addNewMatchExpression().withKey("healthy").withOperator("Exists").endMatchExpression()
            .addNewMatchExpression().withKey("canary").withOperator("DoesNotExist").endMatchExpression()
            .build();

    @Test
    void aSelectorIsWrittenInKubectlSyntax() {
        assertThat(DatabasePods.selector(PRIMARY))
                .isEqualTo("app=orders,role=primary,tier in (db,data),zone notin (a),healthy,!canary");
    }

    /** Labels of the pod, as k=v;k=v; whether the selector above still means it. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "app=orders;role=primary;tier=db;zone=b;healthy=yes|true",
            "app=orders;role=primary;tier=data;healthy=|true",
            // a failover moved the label
            "app=orders;role=replica;tier=db;zone=b;healthy=yes|false",
            "app=orders;tier=db;zone=b;healthy=yes|false",
            "app=orders;role=primary;tier=cache;zone=b;healthy=yes|false",
            "app=orders;role=primary;tier=db;zone=a;healthy=yes|false",
            "app=orders;role=primary;tier=db;zone=b|false",
            "app=orders;role=primary;tier=db;zone=b;healthy=yes;canary=1|false",
            "app=billing;role=primary;tier=db;zone=b;healthy=yes|false"})
    void theAgentChecksThatThePodStillMatches(String labels, boolean matches) {
        Map<String, String> map = new java.util.HashMap<>();
        for (String pair : labels.split(";")) {
            String[] kv = pair.split("=", -1);
            map.put(kv[0], kv[1]);
        }
        assertThat(DatabasePods.matches(map, DatabasePods.selector(PRIMARY))).isEqualTo(matches);
    }

    @Test
    void handWrittenSelectorsToo() {
        Map<String, String> labels = Map.of("app", "orders", "role", "primary");
        assertThat(DatabasePods.matches(labels, "app=orders")).isTrue();
        assertThat(DatabasePods.matches(labels, "app==orders, role != replica")).isTrue();
        assertThat(DatabasePods.matches(labels, "role!=primary")).isFalse();
        assertThat(DatabasePods.matches(labels, "role in (replica, standby)")).isFalse();
        assertThat(DatabasePods.matches(labels, "missing notin (x)")).isTrue();
        assertThat(DatabasePods.matches(labels, "")).isTrue();
    }

    @Test
    void theReadyPodFirstByNameIsChosen() {
        var ready = List.of(pod("db-2", "Running", true), pod("db-1", "Running", true), pod("db-0", "Pending", false));
        assertThat(DatabasePods.chooseReady(ready)).hasValueSatisfying(p -> assertThat(p.getMetadata().getName())
                .isEqualTo("db-1"));
        assertThat(DatabasePods.chooseReady(List.of(pod("db-0", "Running", false)))).isEmpty();
        assertThat(DatabasePods.describe(pod("db-0", "Running", false))).isEqualTo("Running but not Ready");
    }

    private static io.fabric8.kubernetes.api.model.Pod pod(String name, String phase, boolean ready) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus().withPhase(phase)
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .endStatus().build();
    }
}
