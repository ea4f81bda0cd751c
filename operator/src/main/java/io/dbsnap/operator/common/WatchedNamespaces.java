package io.dbsnap.operator.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The namespaces the operator watches (all, or the chart's watchNamespaces, where its Roles are), as
 * JOSDK's snapshot controller has them: what the operator reads outside its controllers reads only
 * there, so it never asks for more than its RBAC grants.
 */
@ApplicationScoped
public class WatchedNamespaces {

    @Inject
    Instance<Operator> operator;

    /** For code made outside CDI (unit tests): every namespace. */
    public static WatchedNamespaces everywhere() {
        return new WatchedNamespaces();
    }

    /** The watched namespaces; empty when all are watched. */
    public Set<String> namespaces() {
        if (operator == null) {
            return Set.of();
        }
        Set<String> namespaces = operator.get().getRegisteredController("databasesnapshot")
                .map(c -> c.getConfiguration().getEffectiveNamespaces()).orElse(Set.of());
        return InformerConfiguration.allNamespacesWatched(namespaces) ? Set.of() : namespaces;
    }

    /** Every {@code type} in the watched namespaces. */
    public <T extends HasMetadata> List<T> list(KubernetesClient client, Class<T> type) {
        Set<String> namespaces = namespaces();
        if (namespaces.isEmpty()) {
            return client.resources(type).inAnyNamespace().list().getItems();
        }
        List<T> all = new ArrayList<>();
        for (String namespace : namespaces) {
            all.addAll(client.resources(type).inNamespace(namespace).list().getItems());
        }
        return all;
    }
}
