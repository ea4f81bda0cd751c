package io.dbsnap.core.crypto;

import com.exceptionfactory.jagged.PayloadException;
import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.stream.StandardEncryptingChannelFactory;
import io.dbsnap.core.pipeline.StoredTransform;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.security.GeneralSecurityException;
import java.util.List;

/**
 * age encryption (age-encryption.org/v1) to X25519 recipients, between compression and the store, so
 * {@code age -d -i key.txt pg.dump.zst.age | zstd -d} reads a snapshot without dbsnap. Writing needs
 * only the recipients' public keys; reading needs one matching identity. The payload is authenticated
 * per 64 KiB chunk, and a cut stream fails for want of its final chunk.
 */
public final class AgeEncryption implements StoredTransform {

    public static final String ID = "age";
    /** Added to an encrypted file's name. */
    public static final String EXTENSION = ".age";

    private final List<String> recipients;
    private final AgeIdentities identities;

    private AgeEncryption(List<String> recipients, AgeIdentities identities) {
        this.recipients = List.copyOf(recipients);
        this.identities = identities;
    }

    /** Encrypts to these recipients (checked: a key that is not one fails here, before any dump starts). */
    public static AgeEncryption to(List<String> recipients) {
        List<String> checked = AgeKeys.recipients(recipients);
        if (checked.isEmpty()) {
            throw new IllegalArgumentException("age encryption needs at least one recipient");
        }
        return new AgeEncryption(checked, AgeIdentities.NONE);
    }

    /** Decrypts a snapshot the manifest says was encrypted to {@code recipients}, with {@code identities}. */
    public static AgeEncryption reading(List<String> recipients, AgeIdentities identities) {
        return new AgeEncryption(recipients == null ? List.of() : recipients, identities);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String extension() {
        return EXTENSION;
    }

    @Override
    public List<String> recipients() {
        return recipients;
    }

    /** True with an identity for one of the recipients the manifest names (or for any, when it names none). */
    @Override
    public boolean canRead() {
        if (identities.isEmpty()) {
            return false;
        }
        return recipients.isEmpty() || identities.recipients().stream().anyMatch(recipients::contains);
    }

    @Override
    public void requireReadable() {
        if (identities.isEmpty()) {
            throw new DecryptionException("the snapshot is age-encrypted to " + named(recipients) + "; give one of "
                    + "their identities with --identity FILE (or DBSNAP_AGE_IDENTITY)");
        }
        if (!canRead()) {
            throw wrongIdentities(null);
        }
    }

    @Override
    public OutputStream toStore(OutputStream stored) throws IOException {
        List<RecipientStanzaWriter> writers = recipients.stream().map(AgeKeys::writer).toList();
        try {
            return Channels.newOutputStream(new StandardEncryptingChannelFactory()
                    .newEncryptingChannel(Channels.newChannel(stored), writers));
        } catch (GeneralSecurityException e) {
            throw new DecryptionException("cannot encrypt to " + String.join(", ", recipients) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream fromStore(InputStream stored) throws IOException {
        requireReadable();
        try {
            return Channels.newInputStream(new StandardDecryptingChannelFactory()
                    .newDecryptingChannel(Channels.newChannel(stored), identities.readers()));
        } catch (GeneralSecurityException e) {
            throw wrongIdentities(e);
        }
    }

    @Override
    public java.util.Optional<String> explain(IOException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PayloadException) {
                return java.util.Optional.of("its age payload does not authenticate (" + t.getMessage() + "): it was "
                        + "altered or cut after it was written");
            }
        }
        return java.util.Optional.empty();
    }

    private DecryptionException wrongIdentities(GeneralSecurityException cause) {
        return new DecryptionException("none of the identities given (" + identities.origin() + ", for "
                + named(identities.recipients()) + ") can decrypt the snapshot; it is age-encrypted to "
                + named(recipients), cause);
    }

    private static String named(List<String> keys) {
        return keys.isEmpty() ? "recipients the manifest does not name" : String.join(", ", keys);
    }
}
