package io.dbsnap.core.store;

import java.net.URI;
import java.util.Optional;

/**
 * How to reach an S3-compatible store. {@code checksumWhenRequired} turns off the SDK's default
 * request checksums, which some S3-compatible servers reject.
 */
public record S3Settings(
        Optional<URI> endpoint,
        String region,
        boolean pathStyle,
        boolean checksumWhenRequired,
        Optional<String> accessKeyId,
        Optional<String> secretAccessKey,
        PartSizer partSizer,
        int uploadConcurrency) {

    public static final String DEFAULT_REGION = "us-east-1";

    public S3Settings {
        if (uploadConcurrency < 1) {
            throw new IllegalArgumentException("uploadConcurrency must be at least 1");
        }
    }

    public static S3Settings defaults() {
        return new S3Settings(Optional.empty(), DEFAULT_REGION, false, false, Optional.empty(), Optional.empty(),
                PartSizer.DEFAULT, 2);
    }

    public S3Settings withEndpoint(URI uri) {
        return new S3Settings(Optional.of(uri), region, pathStyle, checksumWhenRequired, accessKeyId,
                secretAccessKey, partSizer, uploadConcurrency);
    }

    public S3Settings withRegion(String value) {
        return new S3Settings(endpoint, value, pathStyle, checksumWhenRequired, accessKeyId, secretAccessKey,
                partSizer, uploadConcurrency);
    }

    public S3Settings withPathStyle(boolean value) {
        return new S3Settings(endpoint, region, value, checksumWhenRequired, accessKeyId, secretAccessKey,
                partSizer, uploadConcurrency);
    }

    public S3Settings withChecksumWhenRequired(boolean value) {
        return new S3Settings(endpoint, region, pathStyle, value, accessKeyId, secretAccessKey, partSizer,
                uploadConcurrency);
    }

    public S3Settings withCredentials(String accessKey, String secretKey) {
        return new S3Settings(endpoint, region, pathStyle, checksumWhenRequired, Optional.of(accessKey),
                Optional.of(secretKey), partSizer, uploadConcurrency);
    }

    public S3Settings withPartSizer(PartSizer value) {
        return new S3Settings(endpoint, region, pathStyle, checksumWhenRequired, accessKeyId, secretAccessKey,
                value, uploadConcurrency);
    }

    @Override
    public String toString() {
        // never print the secret key
        return "S3Settings[endpoint=" + endpoint.map(URI::toString).orElse("aws") + ", region=" + region
                + ", pathStyle=" + pathStyle + ", checksumWhenRequired=" + checksumWhenRequired + "]";
    }
}
