package io.dbsnap.operator.job;

import io.dbsnap.api.job.FailureReason;
import io.dbsnap.operator.common.KubernetesNames;
import io.dbsnap.operator.common.Ownership;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The identity one Job runs as: a ServiceAccount, a Role that may read and exec into one pod (by
 * {@code resourceNames}) and annotate its own Job with its progress, and nothing else, and the RoleBinding between them, all named after the Job
 * and controlled by the resource the Job serves. They are made before the Job and deleted when its
 * result is in; Kubernetes removes them with their owner too. An object of the same name that
 * someone else made is never changed: the Job is not started.
 */
public final class JobAccess {

    private static final Logger LOG = Logger.getLogger(JobAccess.class);
    private static final String COMPONENT = "app.kubernetes.io/component";

    private JobAccess() {
    }

    /** What a Job named {@code name} needs to exec into {@code pod} of {@code owner}'s namespace. */
    public static List<HasMetadata> toExecInto(HasMetadata owner, String name, String pod, Map<String, String> labels) {
        String namespace = owner.getMetadata().getNamespace();
        OwnerReference controller = Ownership.controller(owner);
        Map<String, String> accessLabels = new LinkedHashMap<>(labels);
        accessLabels.put(COMPONENT, KubernetesNames.noun(owner) + "-job-access");
        return List.of(
                new ServiceAccountBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                        .withLabels(accessLabels).withOwnerReferences(controller).endMetadata()
                        .withAutomountServiceAccountToken(true).build(),
                new RoleBuilder().withNewMetadata().withName(name).withNamespace(namespace).withLabels(accessLabels)
                        .withOwnerReferences(controller).endMetadata()
                        // the client waits for the pod to be ready before an exec: a list and watch of it by name
                        .withRules(new PolicyRuleBuilder().withApiGroups("").withResources("pods")
                                        .withResourceNames(pod).withVerbs("get", "list", "watch").build(),
                                // an exec is a websocket upgrade (GET) of a create
                                new PolicyRuleBuilder().withApiGroups("").withResources("pods/exec")
                                        .withResourceNames(pod).withVerbs("create", "get").build(),
                                // its own Job only, for the progress annotation (JobProgress)
                                new PolicyRuleBuilder().withApiGroups("batch").withResources("jobs")
                                        .withResourceNames(name).withVerbs("get", "patch").build())
                        .build(),
                new RoleBindingBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                        .withLabels(accessLabels).withOwnerReferences(controller).endMetadata()
                        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(name)
                        .endRoleRef()
                        .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(namespace).endSubject()
                        .build());
    }

    /**
     * Creates each object that is missing; an existing one of the owner's (an earlier, interrupted
     * reconcile) is kept. One that exists and is not the owner's refuses the Job ({@code JobConflict}).
     */
    public static void grant(KubernetesClient client, HasMetadata owner, List<HasMetadata> objects) {
        String ownerUid = owner.getMetadata().getUid();
        String noun = KubernetesNames.noun(owner);
        for (HasMetadata object : objects) {
            try {
                client.resource(object).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                HasMetadata existing = client.resource(object).get();
                if (existing == null || !Ownership.isControlledBy(existing, ownerUid)) {
                    throw new Refused(new Problem(FailureReason.JOB_CONFLICT, object.getKind() + " "
                            + object.getMetadata().getName() + " already exists in namespace " + object.getMetadata().getNamespace() + " and is not this " + noun + "'s; "
                            + "dbsnap neither uses nor changes it: remove it, or create the " + noun
                            + " under another name"));
                }
                if (existing instanceof Role had && !had.getRules().equals(((Role) object).getRules())) {
                    // an earlier, interrupted reconcile granted another pod: the owner's own Role follows the choice
                    had.setRules(((Role) object).getRules());
                    client.resource(had).update();
                }
            }
        }
    }

    /** Deletes the objects of {@link #toExecInto} that the owner controls; best effort, since their owner's deletion removes them too. */
    public static void revoke(KubernetesClient client, HasMetadata owner, List<HasMetadata> objects) {
        String ownerUid = owner.getMetadata().getUid();
        for (HasMetadata object : objects) {
            try {
                HasMetadata existing = client.resource(object).get();
                if (existing != null && Ownership.isControlledBy(existing, ownerUid)) {
                    client.resource(existing).delete();
                }
            } catch (KubernetesClientException e) {
                LOG.warnf("could not delete %s %s/%s (it goes with its owner): %s", object.getKind(),
                        object.getMetadata().getNamespace(), object.getMetadata().getName(), e.getMessage());
            }
        }
    }
}
