package io.dbsnap.operator.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;

import java.util.List;
import java.util.Map;

/**
 * The identity snapshot Jobs run as, one per namespace: a ServiceAccount whose Role allows only
 * what the agent does (find the database pod, exec into it). The operator creates it where a
 * snapshot is, as K8up does: a chart cannot know the namespaces snapshots will be made in.
 */
public final class JobIdentity {

    public static final String NAME = OperatorSettings.JOB_SERVICE_ACCOUNT;
    private static final Map<String, String> LABELS = Map.of("app.kubernetes.io/managed-by", "dbsnap-operator",
            "app.kubernetes.io/component", "snapshot-job");

    private JobIdentity() {
    }

    public static List<HasMetadata> forNamespace(String namespace) {
        return List.of(serviceAccount(namespace), role(namespace), roleBinding(namespace));
    }

    static ServiceAccount serviceAccount(String namespace) {
        return new ServiceAccountBuilder().withNewMetadata().withName(NAME).withNamespace(namespace)
                .withLabels(LABELS).endMetadata().withAutomountServiceAccountToken(true).build();
    }

    static Role role(String namespace) {
        return new RoleBuilder().withNewMetadata().withName(NAME).withNamespace(namespace).withLabels(LABELS)
                .endMetadata()
                .withRules(new PolicyRuleBuilder().withApiGroups("").withResources("pods").withVerbs("get", "list").build(),
                        new PolicyRuleBuilder().withApiGroups("").withResources("pods/exec").withVerbs("create", "get").build())
                .build();
    }

    static RoleBinding roleBinding(String namespace) {
        return new RoleBindingBuilder().withNewMetadata().withName(NAME).withNamespace(namespace).withLabels(LABELS)
                .endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(NAME).endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName(NAME).withNamespace(namespace).endSubject()
                .build();
    }
}
