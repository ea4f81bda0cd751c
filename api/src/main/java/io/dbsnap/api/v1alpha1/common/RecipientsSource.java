package io.dbsnap.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

/** Where more age recipients are kept, one per line (as {@code age -R} reads them): exactly one of the two. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
@io.fabric8.generator.annotation.ValidationRule(value = "has(self.configMapKeyRef) != has(self.secretKeyRef)",
        message = "give exactly one of configMapKeyRef and secretKeyRef")
public class RecipientsSource {

    @JsonPropertyDescription("A ConfigMap key holding age public keys, one per line.")
    private KeyRef configMapKeyRef;

    @JsonPropertyDescription("A Secret key holding age public keys, one per line (public keys are not secret; a Secret "
            + "is accepted where a team keeps them there).")
    private KeyRef secretKeyRef;
}
