package io.dbsnap.operator.snapshot;

import io.dbsnap.api.job.SnapshotFailureReason;
import io.dbsnap.api.v1alpha1.DatabaseSnapshotSpec;
import io.dbsnap.api.v1alpha1.PodReference;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.engine.Engines;

import java.util.Optional;

/**
 * What the CRD's schema and CEL rules say, checked again in code: an API server without them (or
 * an older CRD) must still end in a clear Failed status rather than a Job that cannot work.
 */
public final class SnapshotSpecValidator {

    public record Problem(String reason, String message) {
    }

    private SnapshotSpecValidator() {
    }

    public static Optional<Problem> validate(DatabaseSnapshotSpec spec) {
        if (spec == null || spec.getSource() == null) {
            return invalid("spec.source is missing: name the database pod in spec.source.pod");
        }
        PodReference pod = spec.getSource().getPod();
        if (pod == null || (pod.getName() == null) == (pod.getSelector() == null)) {
            return invalid("set exactly one of spec.source.pod.name and spec.source.pod.selector");
        }
        if (pod.getSelector() != null && (pod.getSelector().getMatchLabels() == null
                || pod.getSelector().getMatchLabels().isEmpty())
                && (pod.getSelector().getMatchExpressions() == null || pod.getSelector().getMatchExpressions().isEmpty())) {
            return invalid("spec.source.pod.selector is empty and would match every pod: add matchLabels");
        }
        String engine = spec.getSource().getEngine();
        if (engine != null) {
            try {
                Engines.forName(engine);
            } catch (DbsnapException e) {
                return Optional.of(new Problem(SnapshotFailureReason.ENGINE_UNKNOWN, "spec.source.engine: " + e.getMessage()));
            }
        }
        if (spec.getStorage() == null || spec.getStorage().getS3() == null) {
            return invalid("spec.storage.s3 is missing: name the bucket and its credentialsSecret");
        }
        if (spec.getStorage().getS3().getBucket() == null || spec.getStorage().getS3().getBucket().isBlank()) {
            return invalid("spec.storage.s3.bucket is missing");
        }
        if (spec.getStorage().getS3().getCredentialsSecret() == null
                || spec.getStorage().getS3().getCredentialsSecret().getName() == null) {
            return invalid("spec.storage.s3.credentialsSecret.name is missing: a Secret with AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY");
        }
        return Optional.empty();
    }

    private static Optional<Problem> invalid(String message) {
        return Optional.of(new Problem(SnapshotFailureReason.INVALID_SPEC, message));
    }
}
