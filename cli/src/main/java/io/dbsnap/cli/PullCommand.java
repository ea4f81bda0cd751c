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
import io.dbsnap.core.crypto.AgeIdentities;
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
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import io.dbsnap.api.v1alpha1.common.S3CredentialsSecret;
import io.dbsnap.api.v1alpha1.schedule.SnapshotSchedule;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;

@Command(name = "pull", mixinStandardHelpOptions = true, description = {
        "Copy a cluster's snapshot (a Succeeded DatabaseSnapshot) into the local store, verified,",
        "and optionally write its dump to a file or restore it into a local database.",
        "Reads the resource with your kubeconfig, and the bucket with your AWS_* credentials or profile, else",
        "with the snapshot's own Secret when you may read it."})
final class PullCommand extends StoreCommand {

    @Parameters(paramLabel = "[NAMESPACE/]SNAPSHOT", arity = "0..1",
            description = "the DatabaseSnapshot, e.g. prod/orders-nightly (or give --latest-of or --tag)")
    String reference;

    @Option(names = "--latest-of", paramLabel = "SCHEDULE", description = "the newest Succeeded snapshot of this SnapshotSchedule")
    String latestOf;

    @Option(names = "--tag", paramLabel = "TAG", description = "the newest Succeeded snapshot with this tag")
    String tag;

    @Mixin
    KubeOptions kube = new KubeOptions();

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

    @Mixin
    IdentityOptions identity = new IdentityOptions();

    /** Read and checked first, before anything is downloaded. */
    private AgeIdentities identities = AgeIdentities.NONE;

    PullCommand(CliContext context) {
        super(context);
    }

    @Override
    protected int run(ObjectStore local) throws IOException {
        Masking masking = mask.masking(context);
        identities = identity.identities(context);
        if (masking != null && (then == null || then.targetUrl == null)) {
            throw new DbsnapException("--mask masks a restore: give --restore TARGET too");
        }
        Resolved resolved = resolve();
        DatabaseSnapshot snapshot = resolved.snapshot();
        String ref = snapshot.getMetadata().getNamespace() + "/" + snapshot.getMetadata().getName();
        DatabaseSnapshotStatus status = snapshot.getStatus();
        String location = status.getLocation();
        SnapshotEntry entry;
        try (ObjectStore remote = ObjectStores.open(storeUri(location), resolved.settings())) {
            entry = remoteEntry(remote, location);
            if (!("sha256:" + entry.manifest().dataFile().sha256()).equals(status.getChecksum())) {
                throw new DbsnapException("the stored manifest of " + ref + " says sha256:"
                        + entry.manifest().dataFile().sha256() + " but the resource says " + status.getChecksum()
                        + "; not pulled");
            }
            if (masking != null) {
                // masked on its way from the bucket: the unmasked snapshot is never kept on this machine
                context.out().println("restoring " + ref + " (" + entry.id() + ") from " + location + ", masked, "
                        + "without keeping it in " + local.uri());
                restore(remote, local, entry, masking);
                return 0;
            }
            boolean copied = new SnapshotCopier(remote, local).resumingIn(downloads()).copy(entry, progress());
            context.out().println((copied ? "pulled " : "already pulled ") + ref + " (" + entry.id() + ") from " + location
                    + " into " + local.location(entry.prefix()) + ", sha256 verified: " + entry.manifest().dataFile().sha256());
        }
        if (then != null && then.file != null) {
            writeDump(local, entry, context.workingDirectory().resolve(then.file));
        } else if (then != null && then.targetUrl != null) {
            restore(local, local, entry, null);
        }
        return 0;
    }

    /** The snapshot named, or the newest Succeeded one of a schedule or with a tag; with the S3 settings to read it. */
    private Resolved resolve() {
        if ((reference == null) == (latestOf == null && tag == null)) {
            throw new ParameterException(spec.commandLine(), "name the snapshot: [NAMESPACE/]SNAPSHOT, or --latest-of "
                    + "SCHEDULE and/or --tag TAG");
        }
        try (KubernetesClient client = kube.open(context)) {
            DatabaseSnapshot snapshot = reference != null ? named(client, reference) : newest(client);
            return new Resolved(snapshot, remoteSettings(client, snapshot));
        } catch (KubernetesClientException e) {
            throw new DbsnapException("cannot read from the cluster: " + e.getMessage(), e);
        }
    }

    private record Resolved(DatabaseSnapshot snapshot, S3Settings settings) {
    }

    private DatabaseSnapshot named(KubernetesClient client, String ref) {
        int slash = ref.indexOf('/');
        if (slash == 0 || slash == ref.length() - 1 || ref.indexOf('/', slash + 1) >= 0) {
            throw new DbsnapException("'" + ref + "' is not [NAMESPACE/]SNAPSHOT, e.g. prod/orders-nightly");
        }
        String namespace = slash < 0 ? kube.namespace(client) : ref.substring(0, slash);
        String name = ref.substring(slash + 1);
        DatabaseSnapshot snapshot = client.resources(DatabaseSnapshot.class).inNamespace(namespace).withName(name).get();
        if (snapshot == null) {
            throw new DbsnapException("DatabaseSnapshot " + name + " not found in namespace " + namespace
                    + " (kubectl dbsnap list -n " + namespace + " lists them)");
        }
        DatabaseSnapshotStatus status = snapshot.getStatus();
        if (status == null || !JobPhase.Succeeded.name().equals(status.getPhase()) || status.getLocation() == null) {
            throw new DbsnapException("DatabaseSnapshot " + namespace + "/" + name + " is " + (status == null
                    || status.getPhase() == null ? "not started" : status.getPhase()) + ", not Succeeded: there is "
                    + "nothing to pull");
        }
        return snapshot;
    }

    /** The newest Succeeded snapshot of {@code --latest-of} (its label) and/or with {@code --tag}. */
    private DatabaseSnapshot newest(KubernetesClient client) {
        String namespace = kube.namespace(client);
        var resources = client.resources(DatabaseSnapshot.class).inNamespace(namespace);
        List<DatabaseSnapshot> candidates = (latestOf == null ? resources : resources.withLabel(DatabaseSnapshot.LABEL_SCHEDULE, latestOf))
                .list().getItems();
        String what = (latestOf != null ? "of schedule " + latestOf : "") + (latestOf != null && tag != null ? " " : "")
                + (tag != null ? "tagged " + tag : "");
        if (latestOf != null && candidates.isEmpty()
                && client.resources(SnapshotSchedule.class).inNamespace(namespace).withName(latestOf).get() == null) {
            throw new DbsnapException("SnapshotSchedule " + latestOf + " not found in namespace " + namespace
                    + " (kubectl dbsnap list --schedules -n " + namespace + ")");
        }
        return candidates.stream()
                .filter(s -> tag == null || tag.equals(s.getSpec().getTag()))
                .filter(s -> s.getStatus() != null && JobPhase.Succeeded.name().equals(s.getStatus().getPhase())
                        && s.getStatus().getLocation() != null && s.getStatus().getCompletionTime() != null)
                .max(java.util.Comparator.comparing((DatabaseSnapshot s) -> java.time.Instant.parse(
                        s.getStatus().getCompletionTime())).thenComparing(s -> s.getMetadata().getName()))
                .orElseThrow(() -> new DbsnapException("no Succeeded DatabaseSnapshot " + what + " in namespace "
                        + namespace + " (kubectl dbsnap list -n " + namespace + ")"));
    }

    /** A key pasted with its newline still works. */
    private static String stripped(String value) {
        return value == null ? null : value.strip();
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

    /**
     * Where and as whom to read the bucket: the resource's endpoint (or {@code --from-s3-endpoint}), and your
     * AWS_* keys or profile; without either, the snapshot's own Secret when your kubeconfig may read it.
     * Says which it used.
     */
    private S3Settings remoteSettings(KubernetesClient client, DatabaseSnapshot snapshot) {
        S3Storage s3 = snapshot.getSpec().getStorage() == null ? null : snapshot.getSpec().getStorage().getS3();
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
        if (context.env().containsKey("AWS_ACCESS_KEY_ID") && context.env().containsKey("AWS_SECRET_ACCESS_KEY")) {
            context.err().println("S3 credentials: your AWS_ACCESS_KEY_ID");
            return settings;
        }
        if (context.env().containsKey("AWS_PROFILE") || s3 == null || s3.getCredentialsSecret() == null) {
            context.err().println("S3 credentials: the AWS SDK's default chain (profile " + context.env()
                    .getOrDefault("AWS_PROFILE", "default") + ", web identity, instance role)");
            return settings;
        }
        S3CredentialsSecret ref = s3.getCredentialsSecret();
        String namespace = snapshot.getMetadata().getNamespace();
        Secret secret;
        try {
            secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
        } catch (KubernetesClientException e) {
            throw new DbsnapException("no AWS credentials here (AWS_ACCESS_KEY_ID, AWS_PROFILE), and the snapshot's "
                    + "Secret " + namespace + "/" + ref.getName() + " cannot be read with your kubeconfig (" + e.getCode()
                    + "): export the bucket's keys or choose a profile", e);
        }
        String keyId = ref.getAccessKeyIdKey() == null ? "AWS_ACCESS_KEY_ID" : ref.getAccessKeyIdKey();
        String secretKey = ref.getSecretAccessKeyKey() == null ? "AWS_SECRET_ACCESS_KEY" : ref.getSecretAccessKeyKey();
        String id = secret == null ? null : stripped(SecretValues.of(secret, keyId));
        String key = secret == null ? null : stripped(SecretValues.of(secret, secretKey));
        if (id == null || key == null) {
            throw new DbsnapException("no AWS credentials here (AWS_ACCESS_KEY_ID, AWS_PROFILE), and the snapshot's "
                    + "Secret " + namespace + "/" + ref.getName() + (secret == null ? " does not exist" : " lacks "
                    + keyId + " or " + secretKey) + ": export the bucket's keys or choose a profile");
        }
        context.addSecret(key);
        context.err().println("S3 credentials: the snapshot's Secret " + namespace + "/" + ref.getName());
        return settings.withCredentials(id, key);
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
        Path verified = new SnapshotReader(local, identities).fetchVerified(entry, dir, progress());
        Files.move(verified, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        context.out().println("wrote the verified dump (" + Sizes.human(entry.manifest().rawSize()) + ") to " + file);
    }

    /** Where a cut download waits to be resumed: $XDG_CACHE_HOME/dbsnap/downloads, else ~/.cache/dbsnap/downloads. */
    private Path downloads() {
        String cache = context.env().get("XDG_CACHE_HOME");
        if (cache == null || cache.isBlank()) {
            cache = context.env().getOrDefault("HOME", System.getProperty("user.home")) + "/.cache";
        }
        return Path.of(cache, "dbsnap", "downloads");
    }

    /** Restores {@code entry} from {@code from}; a pre-restore snapshot of the target goes to {@code local}. */
    private void restore(ObjectStore from, ObjectStore local, SnapshotEntry entry, Masking masking) {
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
        SnapshotRestorer.Result result = new SnapshotRestorer(runner, new SnapshotWriter(runner, Clock.systemUTC()), scratch,
                identities)
                .restore(engine, target, from, entry, new SnapshotRestorer.Request(!noBackup, new RestoreOptions(noOwner, 1),
                        masking).backingUpTo(local),
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
