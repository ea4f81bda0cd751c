package io.dbsnap.operator.snapshot;

import io.dbsnap.api.v1alpha1.common.Encryption;
import io.dbsnap.api.v1alpha1.common.RecipientsSource;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.EnvVarSourceBuilder;

import io.dbsnap.api.job.AgentSnapshotArgs;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotSpec;
import io.dbsnap.operator.common.KubernetesNames;
import io.dbsnap.operator.common.OperatorSettings;
import io.dbsnap.operator.job.AgentJob;
import io.dbsnap.operator.job.AgentJobTemplate;
import io.dbsnap.operator.job.DatabaseBinding;
import io.dbsnap.operator.job.StoreBinding;
import io.fabric8.kubernetes.api.model.EnvVar;
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
    /** The database pod the Job reads, for {@link SnapshotQueue}: a pod's name may be longer than a label value. */
    /** Every snapshot Job the operator made: what its informer watches. */
    public static final String JOB_SELECTOR = "app.kubernetes.io/component=snapshot,app.kubernetes.io/managed-by=dbsnap-operator";
    public static final String ANNOTATION_POD = "dbsnap.io/pod";

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
        StoreBinding store = StoreBinding.of(spec.getStorage());
        DatabaseBinding source = DatabaseBinding.of(snapshot.getMetadata().getNamespace(), pod, spec.getSource());
        Encryption encryption = spec.getEncryption();
        List<String> args = new AgentSnapshotArgs(source.args(), snapshot.getMetadata().getName(),
                spec.getCompression() == null ? null : spec.getCompression().id(), spec.getTag(), spec.getNote(),
                encryption == null ? null : encryption.getRecipients(), store.args()).toArgs();
        List<EnvVar> env = new ArrayList<>(store.env());
        env.addAll(source.env());
        recipientsFrom(encryption).ifPresent(env::add);
        Job job = AgentJobTemplate.build(new AgentJob(snapshot, jobName(snapshot), labels(snapshot), spec.getJob(), args,
                env), settings);
        return new JobBuilder(job).editMetadata().addToAnnotations(ANNOTATION_POD, pod).endMetadata().build();
    }

    /** More recipients (public keys) from a ConfigMap or Secret key, into the Job's environment. */
    static java.util.Optional<EnvVar> recipientsFrom(Encryption encryption) {
        if (encryption == null || encryption.getRecipientsFrom() == null) {
            return java.util.Optional.empty();
        }
        RecipientsSource from = encryption.getRecipientsFrom();
        EnvVarSourceBuilder source = new EnvVarSourceBuilder();
        if (from.getConfigMapKeyRef() != null) {
            source.withNewConfigMapKeyRef(from.getConfigMapKeyRef().getKey(), from.getConfigMapKeyRef().getName(), false);
        } else {
            source.withNewSecretKeyRef(from.getSecretKeyRef().getKey(), from.getSecretKeyRef().getName(), false);
        }
        return java.util.Optional.of(new EnvVarBuilder().withName(AgentSnapshotArgs.RECIPIENTS_ENV)
                .withValueFrom(source.build()).build());
    }

    /** Where the snapshot must be stored: a result that says anywhere else is not this snapshot's. */
    public static String storeUri(DatabaseSnapshot snapshot) {
        return StoreBinding.storeUri(snapshot.getSpec().getStorage());
    }
}
