package io.dbsnap.api.v1alpha1.restore;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.dbsnap.api.v1alpha1.common.KeyRef;
import lombok.Data;

/** The age identity that decrypts an encrypted snapshot: mounted into the restore's Jobs only, never a snapshot's. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
public class Decryption {

    @io.fabric8.generator.annotation.Required
    @JsonPropertyDescription("The Secret key holding an age identity file (AGE-SECRET-KEY-1..., as age-keygen or dbsnap "
            + "keygen writes it) for one of the snapshot's recipients.")
    private KeyRef identitySecret;
}
