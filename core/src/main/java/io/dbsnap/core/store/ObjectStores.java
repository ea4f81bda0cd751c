package io.dbsnap.core.store;

import io.dbsnap.core.DbsnapException;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Opens a store from its URI: {@code s3://bucket/prefix}, {@code file://DIR}, or a plain directory. */
public final class ObjectStores {

    public static final String DEFAULT_STORE = "file://./.dbsnap/snapshots";

    private ObjectStores() {
    }

    public static ObjectStore open(String uri, S3Settings s3) {
        if (uri.startsWith("s3://")) {
            String rest = uri.substring("s3://".length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1);
            if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw new DbsnapException("invalid store '" + uri + "': '" + bucket + "' is not a valid bucket name");
            }
            return new S3ObjectStore(bucket, prefix, s3);
        }
        if (uri.startsWith("file://")) {
            String path = uri.substring("file://".length());
            if (path.isEmpty()) {
                throw new DbsnapException("invalid store '" + uri + "': expected file://DIR");
            }
            return new FileObjectStore(Path.of(path));
        }
        if (uri.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw new DbsnapException("unknown store scheme in '" + uri + "': use s3://BUCKET/PREFIX or file://DIR");
        }
        return new FileObjectStore(Path.of(uri));
    }

    /**
     * S3 settings the way the AWS tools read them: endpoint from {@code AWS_ENDPOINT_URL_S3} or
     * {@code AWS_ENDPOINT_URL}, region from {@code AWS_REGION} or {@code AWS_DEFAULT_REGION}, keys from
     * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} (else the SDK's default chain), and
     * {@code DBSNAP_S3_CHECKSUM=when-required} for stores that reject the SDK's default checksums.
     * A custom endpoint implies path-style addressing, which S3-compatible servers expect.
     */
    public static S3Settings s3SettingsFromEnvironment(Map<String, String> env) {
        S3Settings settings = S3Settings.defaults();
        Optional<String> endpoint = first(env, "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL");
        if (endpoint.isPresent()) {
            settings = settings.withEndpoint(endpoint(endpoint.get())).withPathStyle(true);
        }
        settings = settings.withRegion(first(env, "AWS_REGION", "AWS_DEFAULT_REGION").orElse(S3Settings.DEFAULT_REGION));
        Optional<String> accessKey = first(env, "AWS_ACCESS_KEY_ID");
        Optional<String> secretKey = first(env, "AWS_SECRET_ACCESS_KEY");
        if (accessKey.isPresent() && secretKey.isPresent()) {
            settings = settings.withCredentials(accessKey.get(), secretKey.get());
        }
        Optional<String> checksum = first(env, "DBSNAP_S3_CHECKSUM");
        if (checksum.isPresent()) {
            settings = settings.withChecksumWhenRequired(checksumWhenRequired(checksum.get()));
        }
        return settings;
    }

    public static URI endpoint(String value) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new DbsnapException("invalid S3 endpoint '" + value + "': expected http(s)://host[:port]");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new DbsnapException("invalid S3 endpoint '" + value + "': " + e.getReason());
        }
    }

    public static boolean checksumWhenRequired(String value) {
        return switch (value.toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "when-required" -> true;
            case "when-supported" -> false;
            default -> throw new DbsnapException("invalid S3 checksum mode '" + value
                    + "': use when-supported (default) or when-required");
        };
    }

    private static Optional<String> first(Map<String, String> env, String... names) {
        for (String name : names) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return Optional.of(value.strip());
            }
        }
        return Optional.empty();
    }
}
