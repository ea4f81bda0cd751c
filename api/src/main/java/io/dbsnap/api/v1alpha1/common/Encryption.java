package io.dbsnap.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

import java.util.List;

/**
 * age encryption of the stored object to X25519 recipients (public keys only: nothing that takes a
 * snapshot can read one back). Restoring needs one recipient's identity: a SnapshotRestore's
 * spec.decryption.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
@io.fabric8.generator.annotation.ValidationRule(value = "(has(self.recipients) && size(self.recipients) > 0) || "
        + "has(self.recipientsFrom)", message = "name at least one recipient: recipients or recipientsFrom")
// refused at admission, so a private key pasted here by mistake never reaches etcd
@io.fabric8.generator.annotation.ValidationRule(value = "!has(self.recipients) || self.recipients.all(r, "
        + "r.matches('^age1[02-9ac-hj-np-z]{58}$'))", message = "recipients are age public keys: age1 and 58 more "
        + "characters, as age-keygen or dbsnap keygen prints them (never the AGE-SECRET-KEY-1 line)")
public class Encryption {

    @io.fabric8.generator.annotation.Size(max = 32)
    @JsonPropertyDescription("age public keys (age1..., from age-keygen or dbsnap keygen); any one of their identities "
            + "can decrypt the snapshot.")
    private List<String> recipients;

    @JsonPropertyDescription("A ConfigMap or Secret key holding more age public keys, one per line.")
    private RecipientsSource recipientsFrom;
}
