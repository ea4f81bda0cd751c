package io.dbsnap.operator.common;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;

import java.util.List;

/**
 * What the operator puts into every Job: the dbsnap image and the limits used when a resource does
 * not set its own.
 */
public record OperatorSettings(String image, String imagePullPolicy, List<String> imagePullSecrets,
                               long activeDeadlineSeconds, int backoffLimit, int ttlSecondsAfterFinished,
                               ResourceRequirements resources) {

    public OperatorSettings {
        imagePullSecrets = List.copyOf(imagePullSecrets);
    }

    /** The operator's configuration ({@code dbsnap.job.*}), as the chart's values set it. */
    public static OperatorSettings of(OperatorConfig.JobConfig job) {
        ResourceRequirementsBuilder resources = new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity(job.cpuRequest()))
                .addToRequests("memory", new Quantity(job.memoryRequest()))
                .addToLimits("memory", new Quantity(job.memoryLimit()));
        job.cpuLimit().ifPresent(cpu -> resources.addToLimits("cpu", new Quantity(cpu)));
        return new OperatorSettings(job.image(), job.imagePullPolicy(), job.imagePullSecrets().orElse(List.of()),
                job.activeDeadlineSeconds(), job.backoffLimit(), job.ttlSecondsAfterFinished(), resources.build());
    }

    /** The built-in defaults with {@code image}: what tests and the configuration's defaults give. */
    public static OperatorSettings defaults(String image) {
        return new OperatorSettings(image, "IfNotPresent", List.of(), 3600, 1, 86400, new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("250m")).addToRequests("memory", new Quantity("256Mi"))
                .addToLimits("memory", new Quantity("1536Mi")).build());
    }
}
