package io.dbsnap.core.crypto;

import com.exceptionfactory.jagged.RecipientStanzaReader;

import java.util.List;

/**
 * The age identities (private keys) a reader may decrypt with, and where they came from, for messages.
 * Never printed: {@link #toString} names only their recipients.
 */
public final class AgeIdentities {

    /** A reader without keys: encrypted snapshots can be verified by checksum, not decrypted. */
    public static final AgeIdentities NONE = new AgeIdentities(List.of(), "no identity");

    private final List<String> identities;
    private final String origin;

    private AgeIdentities(List<String> identities, String origin) {
        this.identities = List.copyOf(identities);
        this.origin = origin;
    }

    /** Checked identities, e.g. from {@link AgeKeys#identityFile}; {@code origin} says where they came from. */
    public static AgeIdentities of(List<String> identities, String origin) {
        identities.forEach(AgeKeys::reader);
        return new AgeIdentities(identities, origin);
    }

    public boolean isEmpty() {
        return identities.isEmpty();
    }

    /** The public keys these identities decrypt for. */
    public List<String> recipients() {
        return identities.stream().map(AgeKeys::recipientOf).toList();
    }

    String origin() {
        return origin;
    }

    List<RecipientStanzaReader> readers() {
        return identities.stream().map(AgeKeys::reader).toList();
    }

    @Override
    public String toString() {
        return "AgeIdentities[" + origin + "]";
    }
}
