package io.dbsnap.operator.common;

/**
 * What the operator puts into every Job: the dbsnap image and the limits used when a resource does
 * not set its own.
 */
public record OperatorSettings(String image, String imagePullPolicy, long activeDeadlineSeconds, int backoffLimit,
                               int ttlSecondsAfterFinished) {

    public OperatorSettings withImagePullPolicy(String value) {
        return new OperatorSettings(image, value, activeDeadlineSeconds, backoffLimit, ttlSecondsAfterFinished);
    }

    public static OperatorSettings defaults(String image) {
        return new OperatorSettings(image, "IfNotPresent", 3600, 1, 86400);
    }
}
