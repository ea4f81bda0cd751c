package io.dbsnap.cli;

import io.dbsnap.api.storage.Sizes;
import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.api.manifest.ManifestCodec;
import io.dbsnap.api.storage.SnapshotLayout;
import io.dbsnap.api.storage.SnapshotLocation;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotStatus;
import io.dbsnap.api.v1alpha1.common.S3Storage;
import io.dbsnap.api.v1alpha1.common.JobPhase;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.catalog.SnapshotEntry;
import io.dbsnap.core.engine.Engine;
import io.dbsnap.core.engine.Engines;
import io.dbsnap.core.engine.RestoreOptions;
import io.dbsnap.core.mask.Masking;
import io.dbsnap.core.pipeline.SnapshotCopier;
import io.dbsnap.core.pipeline.SnapshotReader;
import io.dbsnap.core.pipeline.SnapshotRestorer;
import io.dbsnap.core.pipeline.SnapshotWriter;
import io.dbsnap.core.process.LocalProcessRunner;
import io.dbsnap.core.store.ObjectStore;
import io.dbsnap.core.store.ObjectStores;
import io.dbsnap.core.store.S3Settings;
import io.dbsnap.core.database.DatabaseTarget;
import io.dbsnap.core.database.TargetParser;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;

@Command(name = "pull", mixinStandardHelpOptions = true, description = {
        "Copy a cluster's snapshot (a Succeeded DatabaseSnapshot) into the local store, verified,",
        "and optionally write its dump to a file or restore it into a local database.",
        "Reads the resource with your kubeconfig and the bucket with your AWS_* credentials."})
final class PullCommand extends StoreCommand {

    @Parameters(paramLabel = "NAMESPACE/SNAPSHOT", description = "the DatabaseSnapshot, e.g. prod/orders-nightly")
    String reference;

    @ArgGroup
    Then then;

    static final class Then {
        @Option(names = "--to", paramLabel = "FILE", description = "also write the verified, decompressed dump here")
        Path file;

        @Option(names = "--restore", paramLabel = "TARGET", description = "also restore it into this database")
        String targetUrl;
    }

    @Option(names = "--from-s3-endpoint", paramLabel = "URL",
            description = "reach the cluster's bucket through this endpoint (e.g. a port-forward) instead of the resource's")
    String fromEndpoint;

    @Option(names = "--force", description = "restore without asking for confirmation")
    boolean force;

    @Option(names = "--no-backup", description = "do not snapshot the restore target first")
    boolean noBackup;

    @Option(names = "--no-owner", description = "do not restore ownership and privileges (roles differ on a laptop)")
    boolean noOwner;

    @Mixin
    MaskOptions mask = new MaskOptions();

    PullCommand(CliContext context) {
        super(context);
    }

    @Override
    protected int run(ObjectStore local) throws IOException {
        Masking masking = mask.masking(context);
        if (masking != null && (then == null || then.targetUrl == null)) {
            throw new DbsnapException("--mask masks a restore: give --restore TARGET too");
        }
        DatabaseSnapshot snapshot = read(reference);
        DatabaseSnapshotStatus status = snapshot.getStatus();
        String location = status.getLocation();
        SnapshotEntry entry;
        try (ObjectStore remote = ObjectStores.open(storeUri(location), remoteSettings(snapshot.getSpec().getStorage().getS3()))) {
            entry = remoteEntry(remote, location);
            if (!("sha256:" + entry.manifest().dataFile().sha256()).equals(status.getChecksum())) {
                throw new DbsnapException("the stored manifest of " + reference + " says sha256:"
                        + entry.manifest().dataFile().sha256() + " but the resource says " + status.getChecksum()
                        + "; not pulled");
            }
            boolean copied = new SnapshotCopier(remote, local).copy(entry, progress());
            context.out().println((copied ? "pulled " : "already pulled ") + entry.id() + " from " + location
                    + " into " + local.location(entry.prefix()) + ", sha256 verified: " + entry.manifest().dataFile().sha256());
        }
        if (then != null && then.file != null) {
            writeDump(local, entry, context.workingDirectory().resolve(then.file));
        } else if (then != null && then.targetUrl != null) {
            restore(local, entry, masking);
        }
        return 0;
    }

    private DatabaseSnapshot read(String ref) {
        int slash = ref.indexOf('/');
        if (slash <= 0 || slash == ref.length() - 1 || ref.indexOf('/', slash + 1) >= 0) {
            throw new DbsnapException("'" + ref + "' is not NAMESPACE/SNAPSHOT, e.g. prod/orders-nightly");
        }
        String namespace = ref.substring(0, slash);
        String name = ref.substring(slash + 1);
        DatabaseSnapshot snapshot;
        try (KubernetesClient client = KubernetesClients.open()) {
            snapshot = client.resources(DatabaseSnapshot.class).inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new DbsnapException("cannot read DatabaseSnapshot " + ref + " from the cluster: " + e.getMessage(), e);
        }
        if (snapshot == null) {
            throw new DbsnapException("DatabaseSnapshot " + name + " not found in namespace " + namespace
                    + " (kubectl get databasesnapshot -n " + namespace + " lists them)");
        }
        DatabaseSnapshotStatus status = snapshot.getStatus();
        if (status == null || !JobPhase.Succeeded.name().equals(status.getPhase()) || status.getLocation() == null) {
            throw new DbsnapException("DatabaseSnapshot " + ref + " is " + (status == null || status.getPhase() == null
                    ? "not started" : status.getPhase()) + ", not Succeeded: there is nothing to pull");
        }
        return snapshot;
    }

    /** {@code s3://bucket/prefix/NS/SOURCE/ID/} -> {@code s3://bucket/prefix}: the store holds the layout. */
    static String storeUri(String location) {
        return at(location).storeUri();
    }

    private static SnapshotLocation at(String location) {
        try {
            return SnapshotLocation.parse(location);
        } catch (IllegalArgumentException e) {
            throw new DbsnapException(e.getMessage(), e);
        }
    }

    private S3Settings remoteSettings(S3Storage s3) {
        S3Settings settings = ObjectStores.s3SettingsFromEnvironment(context.env());
        String endpoint = fromEndpoint != null ? fromEndpoint : s3 == null ? null : s3.getEndpoint();
        if (endpoint != null) {
            settings = settings.withEndpoint(ObjectStores.endpoint(endpoint)).withPathStyle(true);
        }
        if (s3 != null && s3.getRegion() != null) {
            settings = settings.withRegion(s3.getRegion());
        }
        if (s3 != null && s3.getForcePathStyle() != null) {
            settings = settings.withPathStyle(s3.getForcePathStyle());
        }
        return settings;
    }

    private static SnapshotEntry remoteEntry(ObjectStore remote, String location) {
        String prefix = at(location).prefix();
        try {
            Manifest manifest = ManifestCodec.fromJson(remote.get(SnapshotLayout.manifestKey(prefix)));
            return new SnapshotEntry(manifest, prefix);
        } catch (ManifestCodec.InvalidManifestException e) {
            throw new DbsnapException("the manifest at " + location + " cannot be read: " + e.getMessage(), e);
        }
    }

    private void writeDump(ObjectStore local, SnapshotEntry entry, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path verified = new SnapshotReader(local).fetchVerified(entry, dir, progress());
        Files.move(verified, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        context.out().println("wrote the verified dump (" + Sizes.human(entry.manifest().rawSize()) + ") to " + file);
    }

    private void restore(ObjectStore local, SnapshotEntry entry, Masking masking) {
        DatabaseTarget target = TargetParser.parse(then.targetUrl);
        Engine engine = Engines.forTarget(target);
        if (!engine.name().equals(entry.manifest().engine())) {
            throw new DbsnapException("snapshot " + entry.id() + " is a " + entry.manifest().engine()
                    + " snapshot; it cannot be restored into " + target);
        }
        if (!force && context.terminal().interactive() && !context.terminal().confirm("About to restore "
                + entry.id() + " into " + target + ". Objects in the snapshot are replaced. Go on?")) {
            throw new DbsnapException("restore cancelled; the pulled snapshot stays in " + local.uri());
        }
        LocalProcessRunner runner = new LocalProcessRunner();
        Path scratch = Path.of(context.env().getOrDefault("TMPDIR", System.getProperty("java.io.tmpdir")));
        SnapshotRestorer.Result result = new SnapshotRestorer(runner, new SnapshotWriter(runner, Clock.systemUTC()), scratch)
                .restore(engine, target, local, entry, new SnapshotRestorer.Request(!noBackup, new RestoreOptions(noOwner, 1), masking),
                        progress());
        result.preRestoreSnapshot().ifPresent(backup -> context.out().println("pre-restore snapshot " + backup.id()));
        if (result.targetHeldNothing()) {
            context.out().println("no pre-restore snapshot: the target held no databases to keep");
        }
        result.masked().forEach(line -> context.out().println(line));
        context.out().println("restored " + entry.id() + " into " + target + (result.createdTarget()
                ? " (database created)" : "") + (masking != null ? ", masked" : "") + ", sha256 verified: "
                + entry.manifest().dataFile().sha256());
    }
}
