package io.dbsnap.operator;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.dbsnap.sandbox.Sandbox;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code helm template} of helm/dbsnap (helm-java, no binary), read back as objects: what the chart
 * tests check, and what the end-to-end tests install into the sandbox, so the operator there runs
 * with the chart's ServiceAccount, RBAC and environment and nothing else.
 */
record ChartRelease(String namespace, List<HasMetadata> objects) {

    static final Path CHART = EnginePods.ROOT.resolve("helm/dbsnap");
    static final String RELEASE = "dbsnap";
    /** Any version the chart supports: templates do not depend on it. */
    static final String KUBE_VERSION = "1.30.0";

    static ChartRelease render(String namespace, Map<String, Object> values) {
        TemplateCommand template = new Helm(CHART).template().withName(RELEASE).withNamespace(namespace)
                .withKubeVersion(KUBE_VERSION);
        // lists and numbers go in a values file, as users write them (--set cannot give a list, and a values
        // file's numbers reach templates as floats)
        Map<String, Object> lists = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (value instanceof List<?> || value instanceof Number) {
                nested(lists, key, value);
            } else {
                template.set(key, value);
            }
        });
        if (!lists.isEmpty()) {
            try {
                Path file = Files.createTempFile("dbsnap-values", ".yaml");
                file.toFile().deleteOnExit();
                Files.writeString(file, new KubernetesSerialization().asYaml(lists));
                template.withValuesFile(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String yaml = template.call();
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (document.lines().anyMatch(l -> l.startsWith("kind:"))) {
                Object parsed = new KubernetesSerialization().unmarshal(document);
                if (parsed instanceof KubernetesList list) {
                    objects.addAll(list.getItems());
                } else {
                    objects.add((HasMetadata) parsed);
                }
            }
        }
        return new ChartRelease(namespace, List.copyOf(objects));
    }

    @SuppressWarnings("unchecked")
    private static void nested(Map<String, Object> into, String key, Object value) {
        int dot = key.indexOf('.');
        if (dot < 0) {
            into.put(key, value);
        } else {
            nested((Map<String, Object>) into.computeIfAbsent(key.substring(0, dot), k -> new LinkedHashMap<>()),
                    key.substring(dot + 1), value);
        }
    }

    <T extends HasMetadata> List<T> all(Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> kind) {
        List<T> found = all(kind);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind.getSimpleName() + ", the chart rendered " + found.size());
        }
        return found.get(0);
    }

    Container operatorContainer() {
        return one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    ServiceAccount serviceAccount() {
        return one(ServiceAccount.class);
    }

    /** The operator container's environment as the kubelet resolves it (the pod's namespace from the downward API). */
    Map<String, String> operatorEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar var : operatorContainer().getEnv()) {
            if (var.getValue() != null) {
                env.put(var.getName(), var.getValue());
            } else if (var.getValueFrom() != null && var.getValueFrom().getFieldRef() != null
                    && "metadata.namespace".equals(var.getValueFrom().getFieldRef().getFieldPath())) {
                env.put(var.getName(), namespace);
            } else {
                throw new IllegalStateException("the sandbox cannot resolve env " + var.getName());
            }
        }
        return env;
    }

    /**
     * Creates the release's namespace, ServiceAccount and RBAC objects in the sandbox (what {@code helm
     * install} would, but the Deployment: the test runs the operator as a process) and returns a token of
     * that ServiceAccount.
     */
    String installAccess(Sandbox sandbox) {
        if (sandbox.client().namespaces().withName(namespace).get() == null) {
            sandbox.namespace(namespace);
        }
        for (HasMetadata object : objects) {
            if (object instanceof ServiceAccount || object instanceof Role || object instanceof RoleBinding
                    || object instanceof ClusterRole || object instanceof ClusterRoleBinding) {
                sandbox.client().resource(object).createOr(NonDeletingOperation::update);
            }
        }
        return sandbox.api().token(namespace, serviceAccount().getMetadata().getName());
    }
}
