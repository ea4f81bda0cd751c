package io.dbsnap.operator.snapshot;

import io.dbsnap.api.job.AgentSnapshotArgs;
import io.dbsnap.api.job.DatabasePods;
import io.dbsnap.api.v1alpha1.DatabaseSnapshot;
import io.dbsnap.api.v1alpha1.DatabaseSnapshotSpec;
import io.dbsnap.api.v1alpha1.JobOptions;
import io.dbsnap.api.v1alpha1.PodReference;
import io.dbsnap.api.v1alpha1.S3Storage;
import io.dbsnap.operator.common.KubernetesNames;
import io.dbsnap.operator.common.Ownership;
import io.dbsnap.operator.common.OperatorSettings;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DatabaseSnapshot in, the Job that takes it out: plain code, no client. The Job runs
 * {@code dbsnap agent snapshot}; credentials reach it only through secretKeyRefs, never arguments.
 */
public final class SnapshotJobFactory {

    public static final String LABEL_SNAPSHOT = "dbsnap.io/snapshot";
    static final String CONTAINER = "dbsnap";

    private SnapshotJobFactory() {
    }

    public static String jobName(DatabaseSnapshot snapshot) {
        return KubernetesNames.bounded("snapshot", snapshot.getMetadata().getName(), snapshot.getMetadata().getUid(),
                KubernetesNames.MAX_JOB_NAME);
    }

    public static Map<String, String> labels(DatabaseSnapshot snapshot) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "dbsnap");
        labels.put("app.kubernetes.io/component", "snapshot");
        labels.put("app.kubernetes.io/managed-by", "dbsnap-operator");
        labels.put(LABEL_SNAPSHOT, KubernetesNames.labelValue(snapshot.getMetadata().getName()));
        return labels;
    }

    /**
     * @param pod the database pod: {@code spec.source.pod.name}, or the one the operator chose by the
     *            selector; the Job's identity may exec into this pod alone
     */
    public static Job create(DatabaseSnapshot snapshot, String pod, OperatorSettings settings) {
        DatabaseSnapshotSpec spec = snapshot.getSpec();
        JobOptions options = spec.getJob() != null ? spec.getJob() : new JobOptions();
        Map<String, String> labels = labels(snapshot);
        return new JobBuilder()
                .withNewMetadata()
                    .withName(jobName(snapshot))
                    .withNamespace(snapshot.getMetadata().getNamespace())
                    .withLabels(labels)
                    .withOwnerReferences(Ownership.controller(snapshot))
                .endMetadata()
                .withNewSpec()
                    .withActiveDeadlineSeconds(orDefault(options.getActiveDeadlineSeconds(), settings.activeDeadlineSeconds()))
                    .withBackoffLimit(orDefault(options.getBackoffLimit(), settings.backoffLimit()))
                    .withTtlSecondsAfterFinished(orDefault(options.getTtlSecondsAfterFinished(), settings.ttlSecondsAfterFinished()))
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).endMetadata()
                        .withNewSpec()
                            .withServiceAccountName(jobName(snapshot))
                            .withRestartPolicy("Never")
                            .withNodeSelector(options.getNodeSelector())
                            .withTolerations(options.getTolerations())
                            .withNewSecurityContext()
                                .withRunAsNonRoot(true)
                                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                            .endSecurityContext()
                            .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                            .addNewContainer()
                                .withName(CONTAINER)
                                .withImage(settings.image())
                                .withImagePullPolicy(settings.imagePullPolicy())
                                .withCommand("dbsnap")
                                .withArgs(args(snapshot, pod))
                                .withEnv(env(spec))
                                .withResources(resources(options.getResources()))
                                // zstd-jni unpacks its native library into /tmp; the root filesystem stays read-only
                                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                                .withTerminationMessagePolicy("FallbackToLogsOnError")
                                .withNewSecurityContext()
                                    .withAllowPrivilegeEscalation(false)
                                    .withReadOnlyRootFilesystem(true)
                                    .withRunAsNonRoot(true)
                                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                                .endSecurityContext()
                            .endContainer()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    static List<String> args(DatabaseSnapshot snapshot, String pod) {
        DatabaseSnapshotSpec spec = snapshot.getSpec();
        PodReference source = spec.getSource().getPod();
        S3Storage s3 = spec.getStorage().getS3();
        return new AgentSnapshotArgs(snapshot.getMetadata().getNamespace(), snapshot.getMetadata().getName(), pod,
                // the pod was chosen by it: the snapshot is filed under the workload, not the pod
                source.getSelector() == null ? null : DatabasePods.selector(source.getSelector()),
                source.getContainer(), spec.getSource().getEngine(), spec.getSource().getDatabase(),
                spec.getSource().getPath(), Boolean.TRUE.equals(spec.getSource().getAllowPlainCopy()),
                spec.getCompression() == null ? null : spec.getCompression().id(), spec.getTag(), spec.getNote(),
                storeUri(s3), s3.getEndpoint(), s3.getRegion(), s3.getForcePathStyle()).toArgs();
    }

    /** {@code s3://bucket/prefix}: where the agent stores, and where the operator deletes. */
    public static String storeUri(S3Storage s3) {
        String prefix = s3.getPrefix() == null || s3.getPrefix().isBlank() ? "" : "/" + s3.getPrefix();
        return "s3://" + s3.getBucket() + prefix;
    }

    private static List<EnvVar> env(DatabaseSnapshotSpec spec) {
        List<EnvVar> env = new ArrayList<>();
        SecretRefs.Pair s3 = SecretRefs.s3(spec.getStorage().getS3());
        env.add(secretEnv(AgentSnapshotArgs.S3_ACCESS_KEY_ENV, s3.secret(), s3.firstKey()));
        env.add(secretEnv(AgentSnapshotArgs.S3_SECRET_KEY_ENV, s3.secret(), s3.secondKey()));
        SecretRefs.database(spec.getSource()).ifPresent(db -> {
            env.add(secretEnv(AgentSnapshotArgs.DB_USERNAME_ENV, db.secret(), db.firstKey()));
            env.add(secretEnv(AgentSnapshotArgs.DB_PASSWORD_ENV, db.secret(), db.secondKey()));
        });
        // credentials come from the Secret alone; never from a node's instance metadata
        env.add(new EnvVarBuilder().withName("AWS_EC2_METADATA_DISABLED").withValue("true").build());
        return env;
    }

    private static EnvVar secretEnv(String name, String secret, String key) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef()
                .withName(secret).withKey(key).withOptional(false).endSecretKeyRef().endValueFrom().build();
    }

    private static ResourceRequirements resources(ResourceRequirements given) {
        if (given != null) {
            return given;
        }
        // the launcher caps the heap at 1 GiB; upload buffers grow with it for very large dumps
        return new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("250m")).addToRequests("memory", new Quantity("256Mi"))
                .addToLimits("memory", new Quantity("1536Mi"))
                .build();
    }

    private static <T> T orDefault(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
