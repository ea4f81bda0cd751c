package io.dbsnap.operator.job;

import io.dbsnap.api.v1alpha1.common.JobOptions;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one resource needs of its Job: who owns it, its name and labels, the user's Job options, and
 * the agent command's arguments and environment (credentials only as secretKeyRefs).
 * {@link AgentJobTemplate} makes the rest, the same for every resource.
 */
public record AgentJob(HasMetadata owner, String name, Map<String, String> labels, JobOptions options,
                       List<String> args, List<EnvVar> env) {

    public AgentJob {
        options = options != null ? options : new JobOptions();
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        args = List.copyOf(args);
        env = List.copyOf(env);
    }
}
