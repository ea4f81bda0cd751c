package io.dbsnap.cli;

import io.dbsnap.api.job.AgentSnapshotArgs;
import io.dbsnap.api.job.AgentStoreArgs;
import io.dbsnap.core.store.ObjectStore;
import io.dbsnap.core.store.ObjectStores;
import io.dbsnap.core.store.S3Settings;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where snapshots are kept, shared by every command. */
public final class StoreOptions {

    @Option(names = AgentStoreArgs.STORE, paramLabel = "URI",
            description = "s3://BUCKET/PREFIX or file://DIR (default: $DBSNAP_STORE, else "
                    + ObjectStores.DEFAULT_STORE + ")")
    String store;

    @Option(names = AgentStoreArgs.S3_ENDPOINT, paramLabel = "URL",
            description = "S3-compatible endpoint (default: $AWS_ENDPOINT_URL_S3 or $AWS_ENDPOINT_URL, else AWS)")
    String endpoint;

    @Option(names = AgentStoreArgs.S3_REGION, paramLabel = "REGION",
            description = "S3 region (default: $AWS_REGION, else " + S3Settings.DEFAULT_REGION + ")")
    String region;

    @Option(names = AgentStoreArgs.S3_PATH_STYLE, arity = "0..1", paramLabel = "BOOL",
            description = "path-style addressing (default: on with a custom endpoint)")
    Boolean pathStyle;

    @Option(names = "--s3-checksum", paramLabel = "MODE",
            description = "when-supported (default) or when-required, for S3-compatible stores that reject"
                    + " the SDK's default request checksums (also $DBSNAP_S3_CHECKSUM)")
    String checksum;

    /** The options as given, in the contract's terms (what the operator sent an agent). */
    public AgentStoreArgs asArgs() {
        return new AgentStoreArgs(store, endpoint, region, pathStyle);
    }

    public ObjectStore open(CliContext context) {
        String uri = store != null ? store : context.env().getOrDefault("DBSNAP_STORE", ObjectStores.DEFAULT_STORE);
        if (uri.startsWith("file://") && !uri.startsWith("file:///")) {
            uri = "file://" + context.workingDirectory().resolve(Path.of(uri.substring("file://".length())))
                    .normalize();
        } else if (!uri.contains("://")) {
            uri = "file://" + context.workingDirectory().resolve(uri).normalize();
        }
        S3Settings settings = ObjectStores.s3SettingsFromEnvironment(context.env());
        if (endpoint != null) {
            settings = settings.withEndpoint(ObjectStores.endpoint(endpoint)).withPathStyle(true);
        }
        if (region != null) {
            settings = settings.withRegion(region);
        }
        if (pathStyle != null) {
            settings = settings.withPathStyle(pathStyle);
        }
        if (checksum != null) {
            settings = settings.withChecksumWhenRequired(ObjectStores.checksumWhenRequired(checksum));
        }
        return ObjectStores.open(uri, settings);
    }
}
