package io.dbsnap.operator.restore;

import io.dbsnap.api.job.FailureReason;
import io.dbsnap.operator.job.Problem;

import java.util.Map;
import java.util.Optional;

/**
 * A protected target is restored into only when the restore names it: a pod, or a namespace, annotated
 * {@code dbsnap.io/protect: "true"} needs {@code spec.confirm} to equal the target's identity
 * {@code NAMESPACE/POD/DATABASE} exactly, so a restore copied from another environment does not land
 * in production by its defaults.
 */
public final class TargetProtection {

    public static final String ANNOTATION = "dbsnap.io/protect";

    private TargetProtection() {
    }

    /** {@code NAMESPACE/POD/DATABASE}; a file engine's database is its path, a server's without one is {@code *}. */
    public static String identity(String namespace, String pod, String database) {
        return namespace + "/" + pod + "/" + (database == null || database.isEmpty() ? "*" : database);
    }

    /**
     * @param podAnnotations       the target pod's, as read just before the restore
     * @param namespaceAnnotations its namespace's
     */
    public static Optional<Problem> check(Map<String, String> podAnnotations, Map<String, String> namespaceAnnotations,
                                          String identity, String confirm) {
        String where = isProtected(podAnnotations) ? "pod" : isProtected(namespaceAnnotations) ? "namespace" : null;
        if (where == null || identity.equals(confirm)) {
            return Optional.empty();
        }
        String said = confirm == null ? "spec.confirm is not set" : "spec.confirm is '" + confirm + "'";
        return Optional.of(new Problem(FailureReason.TARGET_PROTECTED, "the target " + identity + " is protected ("
                + ANNOTATION + ": \"true\" on its " + where + ") and " + said + ": to restore into it, create a "
                + "SnapshotRestore with spec.confirm: " + identity));
    }

    /** Any value but {@code false} protects: a typo ("yes", "True ") errs on the side of the data. */
    private static boolean isProtected(Map<String, String> annotations) {
        String value = annotations == null ? null : annotations.get(ANNOTATION);
        return value != null && !value.strip().equalsIgnoreCase("false");
    }
}
