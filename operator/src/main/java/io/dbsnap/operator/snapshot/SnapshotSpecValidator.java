package io.dbsnap.operator.snapshot;

import io.dbsnap.api.v1alpha1.common.SnapshotStorage;
import io.dbsnap.operator.job.Problem;
import io.dbsnap.api.job.FailureReason;
import io.dbsnap.api.v1alpha1.common.SnapshotSource;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotSpec;
import io.dbsnap.api.v1alpha1.common.PodReference;

import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.Optional;
import java.util.Set;

/**
 * What the CRD's schema and CEL rules say, checked again in code: an API server without them (or
 * an older CRD) must still end in a clear Failed status rather than a Job that cannot work.
 */
public final class SnapshotSpecValidator {

    private SnapshotSpecValidator() {
    }

    private static final Set<String> SELECTOR_OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");
    /** What an allow-list names for "the AWS endpoint the SDK picks by region", i.e. no spec.storage.s3.endpoint. */
    public static final String AWS = "aws";

    public static Optional<Problem> validate(DatabaseSnapshotSpec spec) {
        return validate(spec, Set.of());
    }

    /**
     * {@code allowedEndpoints}: the S3 endpoints this operator may send snapshots to (empty: any);
     * otherwise whoever may create a DatabaseSnapshot could send a database to a server of their own.
     */
    public static Optional<Problem> validate(DatabaseSnapshotSpec spec, Set<String> allowedEndpoints) {
        if (spec == null || spec.getSource() == null) {
            return invalid("spec.source is missing: name the database pod in spec.source.pod");
        }
        return validateSource(spec.getSource(), "spec.source")
                .or(() -> validateStorage(spec.getStorage(), "spec.storage", allowedEndpoints))
                .or(() -> validateEncryption(spec.getEncryption(), "spec.encryption"));
    }

    /** Every recipient a real age public key; a private key given by mistake is refused without being repeated. */
    public static Optional<Problem> validateEncryption(io.dbsnap.api.v1alpha1.common.Encryption encryption, String field) {
        if (encryption == null) {
            return Optional.empty();
        }
        java.util.List<String> recipients = encryption.getRecipients() == null ? java.util.List.of()
                : encryption.getRecipients();
        if (recipients.isEmpty() && encryption.getRecipientsFrom() == null) {
            return invalid(field + " names no recipient: give recipients (age1...) or recipientsFrom");
        }
        try {
            io.dbsnap.core.crypto.AgeKeys.recipients(recipients);
        } catch (io.dbsnap.core.DbsnapException e) {
            return invalid(field + ".recipients: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** A database in a pod (a snapshot's source, a restore's target); {@code field} is where the spec has it. */
    public static Optional<Problem> validateSource(SnapshotSource source, String field) {
        PodReference pod = source.getPod();
        if (pod == null || (pod.getName() == null) == (pod.getSelector() == null)) {
            return invalid("set exactly one of " + field + ".pod.name and " + field + ".pod.selector");
        }
        if (pod.getSelector() != null && (pod.getSelector().getMatchLabels() == null
                || pod.getSelector().getMatchLabels().isEmpty())
                && (pod.getSelector().getMatchExpressions() == null || pod.getSelector().getMatchExpressions().isEmpty())) {
            return invalid(field + ".pod.selector is empty and would match every pod: add matchLabels");
        }
        if (pod.getSelector() != null && pod.getSelector().getMatchExpressions() != null) {
            for (LabelSelectorRequirement requirement : pod.getSelector().getMatchExpressions()) {
                Optional<Problem> problem = selectorProblem(requirement);
                if (problem.isPresent()) {
                    return problem;
                }
            }
        }
        String engine = source.getEngine();
        if (engine != null && !engine.matches(SnapshotSource.ENGINE_PATTERN)) {
            return Optional.of(new Problem(FailureReason.ENGINE_UNKNOWN, field + ".engine: unknown engine '"
                    + engine + "': dbsnap knows " + SnapshotSource.engineNames()));
        }
        return Optional.empty();
    }

    /**
     * {@code allowedEndpoints}: the S3 endpoints this operator may send snapshots to, or read them
     * from (empty: any); otherwise whoever may create a resource could send a database to a server of
     * their own, or restore one from it.
     */
    public static Optional<Problem> validateStorage(SnapshotStorage storage, String field, Set<String> allowedEndpoints) {
        if (storage == null || storage.getS3() == null) {
            return invalid(field + ".s3 is missing: name the bucket and its credentialsSecret");
        }
        if (storage.getS3().getBucket() == null || storage.getS3().getBucket().isBlank()) {
            return invalid(field + ".s3.bucket is missing");
        }
        if (storage.getS3().getCredentialsSecret() == null
                || storage.getS3().getCredentialsSecret().getName() == null) {
            return invalid(field + ".s3.credentialsSecret.name is missing: a Secret with AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY");
        }
        String endpoint = normalized(storage.getS3().getEndpoint());
        if (!allowedEndpoints.isEmpty() && allowedEndpoints.stream().map(SnapshotSpecValidator::normalized)
                .noneMatch(endpoint::equals)) {
            return invalid(field + ".s3.endpoint " + (endpoint.equals(AWS) ? "(none: AWS)" : endpoint) + " is not "
                    + "one this operator sends snapshots to; allowed: " + String.join(", ", allowedEndpoints.stream()
                    .sorted().toList()) + " (the operator's dbsnap.storage.allowed-endpoints)");
        }
        return Optional.empty();
    }

    private static Optional<Problem> selectorProblem(LabelSelectorRequirement requirement) {
        String operator = requirement.getOperator();
        if (requirement.getKey() == null || requirement.getKey().isBlank()) {
            return invalid("pod.selector.matchExpressions: every expression needs a key");
        }
        if (operator == null || !SELECTOR_OPERATORS.contains(operator)) {
            return invalid("spec.source.pod.selector.matchExpressions: operator '" + operator + "' of key "
                    + requirement.getKey() + " is not one of In, NotIn, Exists, DoesNotExist");
        }
        boolean hasValues = requirement.getValues() != null && !requirement.getValues().isEmpty();
        if ((operator.equals("In") || operator.equals("NotIn")) != hasValues) {
            return invalid("spec.source.pod.selector.matchExpressions: " + operator + " on key " + requirement.getKey()
                    + (hasValues ? " takes no values" : " needs values"));
        }
        return Optional.empty();
    }

    /** {@code https://S3.example.com/} and {@code https://s3.example.com} are one endpoint; none is {@value #AWS}. */
    static String normalized(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            return AWS;
        }
        return endpoint.strip().replaceAll("/+$", "").toLowerCase(java.util.Locale.ROOT);
    }

    private static Optional<Problem> invalid(String message) {
        return Optional.of(new Problem(FailureReason.INVALID_SPEC, message));
    }
}
