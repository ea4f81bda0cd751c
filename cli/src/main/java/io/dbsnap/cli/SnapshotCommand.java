package io.dbsnap.cli;

import io.dbsnap.api.v1alpha1.common.JobPhase;
import io.dbsnap.api.v1alpha1.common.PodReference;
import io.dbsnap.api.v1alpha1.common.S3CredentialsSecret;
import io.dbsnap.api.v1alpha1.common.S3Storage;
import io.dbsnap.api.v1alpha1.common.SnapshotSource;
import io.dbsnap.api.v1alpha1.common.SnapshotStorage;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotSpec;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotStatus;
import io.dbsnap.core.DbsnapException;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * {@code kubectl dbsnap snapshot POD}: a DatabaseSnapshot made from flags (its storage from {@code --bucket}
 * or, by default, from the namespace's newest snapshot), printed instead with {@code --dry-run=client}, and
 * followed to its end with {@code --wait}, its progress as the operator keeps it in status.
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true, description = {
        "Create a DatabaseSnapshot of a pod's database in the cluster, and with --wait follow it to the end."})
final class SnapshotCommand implements Callable<Integer> {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "POD", description = "the database's pod")
    String pod;

    @Mixin
    KubeOptions kube = new KubeOptions();

    @Option(names = "--name", paramLabel = "NAME", description = "the DatabaseSnapshot's name (default: POD-TIME)")
    String name;

    @Option(names = "--database", paramLabel = "DB", description = "the database (default: the one the pod's environment names)")
    String database;

    @Option(names = {"-c", "--container"}, paramLabel = "NAME", description = "the pod's container")
    String container;

    @Option(names = "--engine", paramLabel = "ENGINE", description = "when the image does not tell it")
    String engine;

    @Option(names = "--tag", paramLabel = "TAG")
    String tag;

    @Option(names = "--note", paramLabel = "TEXT")
    String note;

    @Option(names = "--like", paramLabel = "SNAPSHOT",
            description = "store where this DatabaseSnapshot is stored (default: the namespace's newest)")
    String like;

    @Option(names = {"-r", "--recipient"}, paramLabel = "age1...",
            description = "encrypt to this age public key (repeatable); default: as the snapshot the storage comes from")
    java.util.List<String> recipients = new java.util.ArrayList<>();

    @Option(names = "--bucket", paramLabel = "BUCKET", description = "store in this bucket instead")
    String bucket;

    @Option(names = "--prefix", paramLabel = "PREFIX")
    String prefix;

    @Option(names = "--s3-endpoint", paramLabel = "URL")
    String endpoint;

    @Option(names = "--s3-credentials-secret", paramLabel = "NAME", description = "the Secret with the bucket's keys")
    String credentialsSecret;

    @Option(names = "--dry-run", paramLabel = "client", description = "print the resource instead of creating it")
    String dryRun;

    @Option(names = {"-o", "--output"}, paramLabel = "yaml|json", description = "with --dry-run=client")
    String output;

    @Option(names = "--wait", description = "follow it until Succeeded (exit 0) or Failed (exit 1)")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "1h", converter = DurationConverter.class,
            description = "how long --wait waits (default 1h)")
    Duration timeout;

    SnapshotCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        if (dryRun != null && !dryRun.equals("client")) {
            throw new ParameterException(spec.commandLine(), "--dry-run takes client (the server's dry run is kubectl's)");
        }
        if (output != null && !output.equals("yaml") && !output.equals("json")) {
            throw new ParameterException(spec.commandLine(), "-o takes yaml or json");
        }
        try (KubernetesClient client = kube.open(context)) {
            String namespace = kube.namespace(client);
            DatabaseSnapshot snapshot = resource(client, namespace);
            if (dryRun != null) {
                var serialization = client.getKubernetesSerialization();
                context.out().print("json".equals(output) ? serialization.asJson(snapshot) + "\n"
                        : serialization.asYaml(snapshot));
                return 0;
            }
            client.resource(snapshot).create();
            context.out().println("databasesnapshot.dbsnap.io/" + snapshot.getMetadata().getName() + " created");
            return await ? follow(client, namespace, snapshot.getMetadata().getName()) : 0;
        } catch (KubernetesClientException e) {
            throw new DbsnapException("cannot create the DatabaseSnapshot: " + e.getMessage(), e);
        }
    }

    private DatabaseSnapshot resource(KubernetesClient client, String namespace) {
        SnapshotSource source = new SnapshotSource();
        PodReference reference = new PodReference();
        reference.setName(pod);
        reference.setContainer(container);
        source.setPod(reference);
        source.setDatabase(database);
        source.setEngine(engine);
        DatabaseSnapshotSpec spec = new DatabaseSnapshotSpec();
        spec.setSource(source);
        DatabaseSnapshot model = bucket != null ? null : model(client, namespace);
        spec.setStorage(model != null ? model.getSpec().getStorage() : storage());
        spec.setEncryption(encryption(model));
        spec.setTag(tag);
        spec.setNote(note);
        DatabaseSnapshot snapshot = new DatabaseSnapshot();
        snapshot.setMetadata(new ObjectMetaBuilder().withNamespace(namespace)
                .withName(name != null ? name : defaultName(Instant.now())).build());
        snapshot.setSpec(spec);
        return snapshot;
    }

    /** {@code POD-yyyyMMdd-HHmmss}, shortened to fit a name's 63 characters. */
    String defaultName(Instant now) {
        String stamp = "-" + STAMP.format(now);
        String base = pod.length() + stamp.length() > 63 ? pod.substring(0, 63 - stamp.length()) : pod;
        return base.replaceAll("-+$", "") + stamp;
    }

    /**
     * The recipients given, else those of the snapshot the storage comes from: a snapshot taken by hand
     * into the bucket of encrypted ones is encrypted as they are, never stored plain beside them.
     */
    private io.dbsnap.api.v1alpha1.common.Encryption encryption(DatabaseSnapshot model) {
        if (!recipients.isEmpty()) {
            io.dbsnap.api.v1alpha1.common.Encryption encryption = new io.dbsnap.api.v1alpha1.common.Encryption();
            encryption.setRecipients(io.dbsnap.core.crypto.AgeKeys.recipients(recipients));
            return encryption;
        }
        io.dbsnap.api.v1alpha1.common.Encryption inherited = model == null ? null : model.getSpec().getEncryption();
        if (inherited != null) {
            context.err().println("encryption: as DatabaseSnapshot " + model.getMetadata().getName() + " (age"
                    + (inherited.getRecipients() == null ? "" : ", " + inherited.getRecipients().size() + " recipient(s)")
                    + (inherited.getRecipientsFrom() == null ? "" : ", and recipientsFrom") + ")");
        }
        return inherited;
    }

    /** The storage --bucket and its options give. */
    private SnapshotStorage storage() {
        S3Storage s3 = new S3Storage();
        s3.setBucket(bucket);
        s3.setPrefix(prefix);
        s3.setEndpoint(endpoint);
        if (credentialsSecret != null) {
            S3CredentialsSecret secret = new S3CredentialsSecret();
            secret.setName(credentialsSecret);
            s3.setCredentialsSecret(secret);
        }
        SnapshotStorage storage = new SnapshotStorage();
        storage.setS3(s3);
        return storage;
    }

    /** The snapshot the storage (and encryption) come from: --like, else the namespace's newest. */
    private DatabaseSnapshot model(KubernetesClient client, String namespace) {
        if (prefix != null || endpoint != null || credentialsSecret != null) {
            throw new ParameterException(spec.commandLine(), "--prefix, --s3-endpoint and --s3-credentials-secret go "
                    + "with --bucket");
        }
        var snapshots = client.resources(DatabaseSnapshot.class).inNamespace(namespace);
        DatabaseSnapshot model = like != null ? snapshots.withName(like).get()
                : snapshots.list().getItems().stream().filter(s -> s.getSpec().getStorage() != null)
                .max(Comparator.comparing(s -> Objects.toString(s.getMetadata().getCreationTimestamp(), ""))).orElse(null);
        if (model == null || model.getSpec().getStorage() == null) {
            throw new DbsnapException(like != null ? "DatabaseSnapshot " + like + " not found in namespace " + namespace
                    : "namespace " + namespace + " has no DatabaseSnapshot to take the storage from: give --bucket "
                    + "(and --s3-endpoint, --s3-credentials-secret)");
        }
        context.err().println("storage: as DatabaseSnapshot " + model.getMetadata().getName() + " ("
                + describe(model.getSpec().getStorage()) + ")");
        return model;
    }

    private static String describe(SnapshotStorage storage) {
        S3Storage s3 = storage.getS3();
        return s3 == null ? "?" : "s3://" + s3.getBucket() + (s3.getPrefix() == null ? "" : "/" + s3.getPrefix());
    }

    /** Polls the status once a second, showing the phase and the progress as they change. */
    private int follow(KubernetesClient client, String namespace, String snapshotName) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        String shown = null;
        boolean terminal = context.terminal().interactive();
        while (Instant.now().isBefore(deadline)) {
            DatabaseSnapshot current = client.resources(DatabaseSnapshot.class).inNamespace(namespace)
                    .withName(snapshotName).get();
            if (current == null) {
                throw new DbsnapException("DatabaseSnapshot " + namespace + "/" + snapshotName + " was deleted while "
                        + "waiting for it");
            }
            DatabaseSnapshotStatus status = current.getStatus();
            String phase = status == null || status.getPhase() == null ? "Pending" : status.getPhase();
            if (JobPhase.Succeeded.name().equals(phase)) {
                clear(terminal, shown);
                context.out().println(snapshotName + " Succeeded: " + status.getDisplaySize() + " at "
                        + status.getLocation() + ", " + status.getChecksum());
                return 0;
            }
            if (JobPhase.Failed.name().equals(phase)) {
                clear(terminal, shown);
                Condition failed = status.getConditions() == null ? null : status.getConditions().stream()
                        .filter(c -> "Failed".equals(c.getType())).findFirst().orElse(null);
                context.err().println("dbsnap: " + snapshotName + " Failed" + (failed == null ? "" : ": "
                        + failed.getReason() + ": " + context.scrub(failed.getMessage())));
                return 1;
            }
            String line = phase + (status != null && status.getProgress() != null ? ": " + status.getProgress() : "");
            if (!line.equals(shown)) {
                if (terminal) {
                    context.err().print("\r\033[K" + snapshotName + " " + line);
                    context.err().flush();
                } else {
                    context.err().println(snapshotName + " " + line);
                }
                shown = line;
            }
            Thread.sleep(1000);
        }
        clear(terminal, shown);
        throw new DbsnapException(snapshotName + " did not finish within " + timeout.toMinutes() + " minutes; it goes on "
                + "(kubectl get databasesnapshot " + snapshotName + " -n " + namespace + ")");
    }

    private void clear(boolean terminal, String shown) {
        if (terminal && shown != null) {
            context.err().print("\r\033[K");
            context.err().flush();
        }
    }
}
