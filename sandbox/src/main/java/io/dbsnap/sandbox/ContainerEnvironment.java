package io.dbsnap.sandbox;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/** A container's environment as the kubelet would set it: values, secretKeyRefs, configMapKeyRefs and the pod's namespace. */
final class ContainerEnvironment {

    private ContainerEnvironment() {
    }

    /**
     * @param secrets    (namespace, name) -> the Secret's base64 data, empty when it does not exist
     * @param configMaps (namespace, name) -> the ConfigMap's data, empty when it does not exist
     * @throws IllegalStateException when a required Secret, ConfigMap or key is missing, as the kubelet refuses to start
     */
    static Map<String, String> resolve(Container container, ObjectMeta pod,
                                       BiFunction<String, String, Optional<Map<String, String>>> secrets,
                                       BiFunction<String, String, Optional<Map<String, String>>> configMaps) {
        Map<String, String> env = new LinkedHashMap<>();
        if (container.getEnv() == null) {
            return env;
        }
        for (EnvVar var : container.getEnv()) {
            if (var.getValue() != null) {
                env.put(var.getName(), var.getValue());
            } else if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
                SecretKeySelector ref = var.getValueFrom().getSecretKeyRef();
                Optional<String> value = secrets.apply(pod.getNamespace(), ref.getName())
                        .map(data -> data.get(ref.getKey()))
                        .map(b64 -> new String(Base64.getDecoder().decode(b64), java.nio.charset.StandardCharsets.UTF_8));
                if (value.isPresent()) {
                    env.put(var.getName(), value.get());
                } else if (!Boolean.TRUE.equals(ref.getOptional())) {
                    throw new IllegalStateException("CreateContainerConfigError: secret " + ref.getName()
                            + " or its key " + ref.getKey() + " not found in namespace " + pod.getNamespace());
                }
            } else if (var.getValueFrom() != null && var.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = var.getValueFrom().getConfigMapKeyRef();
                Optional<String> value = configMaps.apply(pod.getNamespace(), ref.getName()).map(data -> data.get(ref.getKey()));
                if (value.isPresent()) {
                    env.put(var.getName(), value.get());
                } else if (!Boolean.TRUE.equals(ref.getOptional())) {
                    throw new IllegalStateException("CreateContainerConfigError: configmap " + ref.getName()
                            + " or its key " + ref.getKey() + " not found in namespace " + pod.getNamespace());
                }
            } else if (var.getValueFrom() != null && var.getValueFrom().getFieldRef() != null) {
                String field = var.getValueFrom().getFieldRef().getFieldPath();
                if ("metadata.namespace".equals(field)) {
                    env.put(var.getName(), pod.getNamespace());
                } else if ("metadata.name".equals(field)) {
                    env.put(var.getName(), pod.getName());
                }
            }
        }
        return env;
    }

    /** What every local process gets from the machine: a PATH to find tools, a HOME, a locale. */
    static Map<String, String> base() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : new String[]{"PATH", "HOME", "LANG", "TMPDIR", "JAVA_HOME"}) {
            String value = System.getenv(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        return env;
    }
}
