package io.dbsnap.operator.job;

import io.dbsnap.api.job.AgentPodArgs;
import io.dbsnap.api.job.DatabasePods;
import io.dbsnap.api.v1alpha1.common.PodReference;
import io.dbsnap.api.v1alpha1.common.SnapshotSource;
import io.dbsnap.operator.common.SecretRefs;
import io.fabric8.kubernetes.api.model.EnvVar;

import java.util.ArrayList;
import java.util.List;

/**
 * How a database in a pod (a snapshot's source, a restore's target) reaches an agent Job: which
 * pod, container, engine and database as arguments, its credentials as secretKeyRef variables.
 *
 * @param args the agent's arguments for it
 * @param env  the credentials, never as values
 */
public record DatabaseBinding(AgentPodArgs args, List<EnvVar> env) {

    /**
     * @param pod the database pod: the spec's pod name, or the one the operator chose by the selector;
     *            the Job's identity may exec into this pod alone
     */
    public static DatabaseBinding of(String namespace, String pod, SnapshotSource source) {
        PodReference ref = source.getPod();
        AgentPodArgs args = new AgentPodArgs(namespace, pod,
                // the pod was chosen by it: a snapshot is filed under the workload, not the pod
                ref.getSelector() == null ? null : DatabasePods.selector(ref.getSelector()),
                ref.getContainer(), source.getEngine(), source.getDatabase(), source.getPath(),
                Boolean.TRUE.equals(source.getAllowPlainCopy()));
        List<EnvVar> env = new ArrayList<>();
        SecretRefs.database(source).ifPresent(db -> {
            env.add(AgentJobTemplate.secretEnv(AgentPodArgs.DB_USERNAME_ENV, db.secret(), db.firstKey()));
            env.add(AgentJobTemplate.secretEnv(AgentPodArgs.DB_PASSWORD_ENV, db.secret(), db.secondKey()));
        });
        return new DatabaseBinding(args, List.copyOf(env));
    }
}
