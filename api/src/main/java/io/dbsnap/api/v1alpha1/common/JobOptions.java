package io.dbsnap.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import lombok.Data;
import java.util.List;
import java.util.Map;

/** How the snapshot Job runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
public class JobOptions {

    @JsonPropertyDescription("Resources of the dbsnap container.")
    private ResourceRequirements resources;

    @JsonPropertyDescription("Node selector of the Job's pod.")
    private Map<String, String> nodeSelector;

    @JsonPropertyDescription("Tolerations of the Job's pod.")
    private List<Toleration> tolerations;

    @io.fabric8.generator.annotation.Min(1)
    @JsonPropertyDescription("Seconds the Job may run before it is stopped and the snapshot fails (default: 3600).")
    private Long activeDeadlineSeconds;

    @io.fabric8.generator.annotation.Min(0)
    @io.fabric8.generator.annotation.Max(10)
    @JsonPropertyDescription("Retries of a failed Job pod before the snapshot fails (default: 1).")
    private Integer backoffLimit;

    // the operator reads the result from the finished Job's pod: a Job gone at once would leave a stored snapshot unreported
    @io.fabric8.generator.annotation.Min(60)
    @JsonPropertyDescription("Seconds a finished Job is kept before Kubernetes deletes it (default: 86400, at least 60); the snapshot's status keeps the result.")
    private Integer ttlSecondsAfterFinished;

    // a restore verifies the whole uncompressed dump into /tmp before the target is touched
    @io.fabric8.generator.annotation.Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$")
    @JsonPropertyDescription("Size limit of the Job's scratch space (/tmp, an emptyDir), e.g. 20Gi; a restore keeps the "
            + "uncompressed dump there while it verifies it (default: no limit but the node's).")
    private String scratchSize;
}
