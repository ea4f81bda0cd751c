package io.dbsnap.operator.common;

import io.dbsnap.api.v1alpha1.common.S3Storage;
import io.dbsnap.api.v1alpha1.common.SecretKeys;
import io.dbsnap.api.v1alpha1.common.SnapshotSource;

import java.util.Optional;

/** The Secrets a resource reads (the bucket's, the database's) and their keys, with the defaults applied in one place. */
public final class SecretRefs {

    public static final String DEFAULT_ACCESS_KEY_ID_KEY = "AWS_ACCESS_KEY_ID";
    public static final String DEFAULT_SECRET_ACCESS_KEY_KEY = "AWS_SECRET_ACCESS_KEY";
    public static final String DEFAULT_USERNAME_KEY = "username";
    public static final String DEFAULT_PASSWORD_KEY = "password";

    /** A Secret and the two keys read from it (access key id and secret key, or user name and password). */
    public record Pair(String secret, String firstKey, String secondKey) {
    }

    private SecretRefs() {
    }

    public static Pair s3(S3Storage s3) {
        var ref = s3.getCredentialsSecret();
        return new Pair(ref.getName(), or(ref.getAccessKeyIdKey(), DEFAULT_ACCESS_KEY_ID_KEY),
                or(ref.getSecretAccessKeyKey(), DEFAULT_SECRET_ACCESS_KEY_KEY));
    }

    public static Optional<Pair> database(SnapshotSource source) {
        SecretKeys ref = source.getCredentialsSecret();
        return ref == null ? Optional.empty() : Optional.of(new Pair(ref.getName(),
                or(ref.getUsernameKey(), DEFAULT_USERNAME_KEY), or(ref.getPasswordKey(), DEFAULT_PASSWORD_KEY)));
    }

    private static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
