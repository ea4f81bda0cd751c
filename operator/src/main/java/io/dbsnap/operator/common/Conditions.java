package io.dbsnap.operator.common;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Objects;

/**
 * metav1.Condition lists: positive types, "True"/"False", observedGeneration on each, and a
 * lastTransitionTime that moves only when the status flips.
 */
public final class Conditions {

    public static final String TRUE = "True";
    public static final String FALSE = "False";

    private Conditions() {
    }

    public static Condition of(String type, boolean status, String reason, String message, Long generation) {
        return new ConditionBuilder().withType(type).withStatus(status ? TRUE : FALSE).withReason(reason)
                .withMessage(message).withObservedGeneration(generation).build();
    }

    /** {@code existing} with {@code wanted} set: added, or replaced keeping its transition time if status is unchanged. */
    public static List<Condition> set(List<Condition> existing, Condition wanted, Instant now) {
        List<Condition> result = new ArrayList<>();
        boolean replaced = false;
        for (Condition condition : existing == null ? List.<Condition>of() : existing) {
            if (condition.getType().equals(wanted.getType())) {
                String since = Objects.equals(condition.getStatus(), wanted.getStatus())
                        && condition.getLastTransitionTime() != null ? condition.getLastTransitionTime() : timestamp(now);
                result.add(new ConditionBuilder(wanted).withLastTransitionTime(since).build());
                replaced = true;
            } else {
                result.add(condition);
            }
        }
        if (!replaced) {
            result.add(new ConditionBuilder(wanted).withLastTransitionTime(timestamp(now)).build());
        }
        return result;
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return conditions != null && conditions.stream()
                .anyMatch(c -> type.equals(c.getType()) && TRUE.equals(c.getStatus()));
    }

    /** The condition of that type, if the list (which may be null) has one. */
    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /** RFC 3339 in whole seconds, as Kubernetes writes times. */
    public static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
