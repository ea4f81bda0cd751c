package io.dbsnap.operator.restore;

import io.dbsnap.api.job.AgentRestoreArgs;
import io.dbsnap.api.v1alpha1.common.JobOptions;
import io.dbsnap.api.v1alpha1.common.SnapshotSource;
import io.dbsnap.api.v1alpha1.restore.SnapshotRestore;
import io.dbsnap.operator.common.KubernetesNames;
import io.dbsnap.operator.common.OperatorSettings;
import io.dbsnap.operator.job.AgentJob;
import io.dbsnap.operator.job.AgentJobTemplate;
import io.dbsnap.operator.job.DatabaseBinding;
import io.dbsnap.operator.job.StoreBinding;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A SnapshotRestore's Jobs, plain code: the verify Job (a dry run of {@code dbsnap agent restore},
 * which reads every byte and the target and changes nothing) and the restore Job. Credentials reach
 * them only through secretKeyRefs.
 */
public final class RestoreJobFactory {

    public static final String LABEL_RESTORE = "dbsnap.io/restore";
    /** Every restore (and verify) Job the operator made: what its informers watch. */
    public static final String JOB_SELECTOR = "app.kubernetes.io/component=restore,app.kubernetes.io/managed-by=dbsnap-operator";
    private static final com.fasterxml.jackson.databind.ObjectMapper COPIER = new com.fasterxml.jackson.databind.ObjectMapper();

    private RestoreJobFactory() {
    }

    /** The Job that verifies and plans; a dry run is this Job alone. */
    public static String verifyJobName(SnapshotRestore restore) {
        return KubernetesNames.bounded("verify", restore.getMetadata().getName(), restore.getMetadata().getUid(),
                KubernetesNames.MAX_JOB_NAME);
    }

    public static String restoreJobName(SnapshotRestore restore) {
        return KubernetesNames.bounded("restore", restore.getMetadata().getName(), restore.getMetadata().getUid(),
                KubernetesNames.MAX_JOB_NAME);
    }

    public static Map<String, String> labels(SnapshotRestore restore) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "dbsnap");
        labels.put("app.kubernetes.io/component", "restore");
        labels.put("app.kubernetes.io/managed-by", "dbsnap-operator");
        labels.put(LABEL_RESTORE, KubernetesNames.labelValue(restore.getMetadata().getName()));
        return labels;
    }

    /**
     * @param pod    the target pod, as chosen for the Job's access
     * @param verify the verify Job (dry run) rather than the restore Job
     */
    public static Job create(SnapshotRestore restore, ResolvedSource source, SnapshotSource target, String pod,
                             boolean verify, OperatorSettings settings) {
        StoreBinding store = StoreBinding.of(source.storage());
        DatabaseBinding database = DatabaseBinding.of(restore.getMetadata().getNamespace(), pod, target);
        List<String> args = new AgentRestoreArgs(database.args(), source.path(), source.sha256(), verify, store.args())
                .toArgs();
        List<EnvVar> env = new ArrayList<>(store.env());
        env.addAll(database.env());
        identity(restore).ifPresent(env::add);
        String name = verify ? verifyJobName(restore) : restoreJobName(restore);
        return AgentJobTemplate.build(new AgentJob(restore, name, labels(restore), verify ? restore.getSpec().getJob()
                : once(restore.getSpec().getJob()), args, env), settings);
    }

    /**
     * The age identity of an encrypted snapshot: the one private key dbsnap handles, reaching the verify and
     * restore Jobs from its Secret through the kubelet, never through an argument or the operator.
     */
    static java.util.Optional<EnvVar> identity(SnapshotRestore restore) {
        io.dbsnap.api.v1alpha1.restore.Decryption decryption = restore.getSpec().getDecryption();
        if (decryption == null || decryption.getIdentitySecret() == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new io.fabric8.kubernetes.api.model.EnvVarBuilder()
                .withName(io.dbsnap.api.job.AgentRestoreArgs.IDENTITY_ENV)
                .withNewValueFrom().withNewSecretKeyRef(decryption.getIdentitySecret().getKey(),
                        decryption.getIdentitySecret().getName(), false).endValueFrom().build());
    }

    /**
     * The restore Job's options: never retried, whatever spec.job says, since a second pod would restore
     * again over whatever the first one left (the verify Job changes nothing and may retry).
     */
    static JobOptions once(JobOptions options) {
        JobOptions copy = options == null ? new JobOptions() : COPIER.convertValue(options, JobOptions.class);
        copy.setBackoffLimit(0);
        return copy;
    }

    /** Where the snapshot must be read from: a result about any other location is not this restore's. */
    public static String location(ResolvedSource source) {
        return StoreBinding.storeUri(source.storage()) + "/" + source.path();
    }
}
