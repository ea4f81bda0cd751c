package io.dbsnap.core.store;

import io.dbsnap.core.DbsnapException;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Opens a store from its URI ({@code s3://bucket/prefix}, {@code file://DIR}, or a plain directory) by its scheme's provider. */
public final class ObjectStores {

    public static final String DEFAULT_STORE = "file://./.dbsnap/snapshots";

    private ObjectStores() {
    }

    /** The stores dbsnap knows, by scheme (restic's backend registry): one provider each. */
    private static final List<StoreProvider> PROVIDERS = List.of(new S3Provider(), new FileProvider());

    public static ObjectStore open(String uri, S3Settings s3) {
        return open(uri, StoreSettings.of(s3));
    }

    /** {@code scheme://LOCATION} by the provider of that scheme; a URI without a scheme is a directory. */
    public static ObjectStore open(String uri, StoreSettings settings) {
        Matcher scheme = SCHEME.matcher(uri);
        if (!scheme.matches()) {
            return new FileObjectStore(Path.of(uri));
        }
        String name = scheme.group(1);
        return PROVIDERS.stream().filter(p -> p.scheme().equals(name)).findFirst()
                .orElseThrow(() -> new DbsnapException("unknown store scheme in '" + uri + "': use "
                        + PROVIDERS.stream().map(StoreProvider::form).collect(Collectors.joining(" or "))))
                .open(uri, scheme.group(2), settings);
    }

    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://(.*)$", Pattern.DOTALL);

    private static final class S3Provider implements StoreProvider {
        @Override
        public String scheme() {
            return "s3";
        }

        @Override
        public String form() {
            return "s3://BUCKET/PREFIX";
        }

        @Override
        public ObjectStore open(String uri, String location, StoreSettings settings) {
            int slash = location.indexOf('/');
            String bucket = slash < 0 ? location : location.substring(0, slash);
            String prefix = slash < 0 ? "" : location.substring(slash + 1);
            if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw new DbsnapException("invalid store '" + uri + "': '" + bucket + "' is not a valid bucket name");
            }
            return new S3ObjectStore(bucket, prefix, settings.get(S3Settings.class, S3Settings.defaults()));
        }
    }

    private static final class FileProvider implements StoreProvider {
        @Override
        public String scheme() {
            return "file";
        }

        @Override
        public String form() {
            return "file://DIR";
        }

        @Override
        public ObjectStore open(String uri, String location, StoreSettings settings) {
            if (location.isEmpty()) {
                throw new DbsnapException("invalid store '" + uri + "': expected file://DIR");
            }
            return new FileObjectStore(Path.of(location));
        }
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
