package io.dbsnap.operator.job;

import io.dbsnap.api.job.JobProgress;
import io.dbsnap.api.v1alpha1.common.JobOptions;
import io.dbsnap.operator.common.OperatorSettings;
import io.dbsnap.operator.common.Ownership;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The Job every agent command runs in, whatever the resource: one container running {@code dbsnap},
 * non-root, read-only root filesystem, no capabilities, {@code /tmp} as an emptyDir, the Job's own
 * ServiceAccount ({@link JobAccess}), controlled by its resource. Plain code, no client.
 */
public final class AgentJobTemplate {

    /** The agent's container; its termination message is the result ({@link JobObservation}). */
    public static final String CONTAINER = "dbsnap";

    private AgentJobTemplate() {
    }

    public static Job build(AgentJob job, OperatorSettings settings) {
        JobOptions options = job.options();
        List<EnvVar> env = new ArrayList<>(job.env());
        // credentials come from the Secret alone; never from a node's instance metadata
        env.add(new EnvVarBuilder().withName("AWS_EC2_METADATA_DISABLED").withValue("true").build());
        // the agent reports its progress on its own Job ({@link JobProgress}), the one object its Role may change
        env.add(new EnvVarBuilder().withName(JobProgress.JOB_NAME_ENV).withValue(job.name()).build());
        env.add(new EnvVarBuilder().withName(JobProgress.JOB_NAMESPACE_ENV)
                .withValue(job.owner().getMetadata().getNamespace()).build());
        return new JobBuilder()
                .withNewMetadata()
                    .withName(job.name())
                    .withNamespace(job.owner().getMetadata().getNamespace())
                    .withLabels(new LinkedHashMap<>(job.labels()))
                    .withOwnerReferences(Ownership.controller(job.owner()))
                .endMetadata()
                .withNewSpec()
                    .withActiveDeadlineSeconds(orDefault(options.getActiveDeadlineSeconds(), settings.activeDeadlineSeconds()))
                    .withBackoffLimit(orDefault(options.getBackoffLimit(), settings.backoffLimit()))
                    .withTtlSecondsAfterFinished(orDefault(options.getTtlSecondsAfterFinished(), settings.ttlSecondsAfterFinished()))
                    .withNewTemplate()
                        .withNewMetadata().withLabels(new LinkedHashMap<>(job.labels())).endMetadata()
                        .withNewSpec()
                            .withServiceAccountName(job.name())
                            .withRestartPolicy("Never")
                            .withImagePullSecrets(settings.imagePullSecrets().stream()
                                    .map(n -> new LocalObjectReference(n)).toList())
                            .withNodeSelector(options.getNodeSelector())
                            .withTolerations(options.getTolerations())
                            .withNewSecurityContext()
                                .withRunAsNonRoot(true)
                                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                            .endSecurityContext()
                            .addNewVolume().withName("tmp").withNewEmptyDir().withSizeLimit(options.getScratchSize() == null
                                    ? null : new Quantity(options.getScratchSize())).endEmptyDir().endVolume()
                            .addNewContainer()
                                .withName(CONTAINER)
                                .withImage(settings.image())
                                .withImagePullPolicy(settings.imagePullPolicy())
                                .withCommand("dbsnap")
                                .withArgs(job.args())
                                .withEnv(env)
                                .withResources(options.getResources() != null ? options.getResources() : settings.resources())
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

    /** An environment variable read from a Secret's key when the pod starts; the value never enters the Job. */
    public static EnvVar secretEnv(String name, String secret, String key) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef()
                .withName(secret).withKey(key).withOptional(false).endSecretKeyRef().endValueFrom().build();
    }

    private static <T> T orDefault(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
