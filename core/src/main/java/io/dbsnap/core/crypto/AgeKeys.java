package io.dbsnap.core.crypto;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.x25519.X25519KeyFactory;
import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import io.dbsnap.core.DbsnapException;

import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * age X25519 keys as the age tool writes them: recipients {@code age1...} (public), identities
 * {@code AGE-SECRET-KEY-1...} (private), and files of either, one per line, {@code #} comments and
 * blank lines ignored. The cryptography is jagged's; this class only parses, checks and names.
 */
public final class AgeKeys {

    static final String RECIPIENT_PREFIX = "age1";
    static final String IDENTITY_PREFIX = "AGE-SECRET-KEY-1";
    /** An environment variable that may hold identities themselves (never a path), kept from child processes. */
    public static final String IDENTITY_ENVIRONMENT = io.dbsnap.api.job.AgentRestoreArgs.IDENTITY_ENV;

    private AgeKeys() {
    }

    /** A new identity and its recipient, as age-keygen makes them. */
    public record Generated(String identity, String recipient) {
        @Override
        public String toString() {
            return "Generated[recipient=" + recipient + "]"; // the identity is never printed by accident
        }
    }

    public static Generated generate() {
        try {
            KeyPair pair = new X25519KeyPairGenerator().generateKeyPair();
            String identity = new String(pair.getPrivate().getEncoded(), StandardCharsets.US_ASCII)
                    .toUpperCase(Locale.ROOT);
            return new Generated(identity, new String(pair.getPublic().getEncoded(), StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new DbsnapException("cannot generate an age key: " + e.getMessage(), e);
        }
    }

    /** The recipient (public key) of an identity. */
    public static String recipientOf(String identity) {
        try {
            var publicKey = new X25519KeyFactory().translateKey(new SecretKeySpec(
                    identity.getBytes(StandardCharsets.US_ASCII), "X25519"));
            return new String(publicKey.getEncoded(), StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new DbsnapException("not an age identity (AGE-SECRET-KEY-1...): " + e.getMessage(), e);
        }
    }

    /** Checks each recipient; the message names the one that is not an age X25519 recipient. */
    public static List<String> recipients(List<String> given) {
        List<String> checked = new ArrayList<>();
        for (String raw : given) {
            String recipient = raw.strip();
            writer(recipient);
            if (!checked.contains(recipient)) {
                checked.add(recipient);
            }
        }
        return List.copyOf(checked);
    }

    /** The recipients in a text such as a recipients file's content. */
    public static List<String> recipientLines(String text) {
        return recipients(lines(text.lines().toList()));
    }

    /** The recipients of a recipients file (age -R): one per line. */
    public static List<String> recipientsFile(Path file) {
        return recipients(keyLines(file, "recipients"));
    }

    /** The identities of an identity file (age -i, age-keygen's output). */
    public static List<String> identityFile(Path file) {
        List<String> identities = keyLines(file, "identity");
        if (identities.isEmpty()) {
            throw new DecryptionException(file + " holds no age identity (a line AGE-SECRET-KEY-1...)");
        }
        identities.forEach(AgeKeys::reader);
        return identities;
    }

    /** The identities in a text such as an identity file's content. */
    public static List<String> identityLines(String text) {
        List<String> identities = lines(text.lines().toList());
        if (identities.isEmpty()) {
            throw new DecryptionException("$" + IDENTITY_ENVIRONMENT + " holds no age identity (AGE-SECRET-KEY-1...)");
        }
        identities.forEach(AgeKeys::reader);
        return identities;
    }

    static RecipientStanzaWriter writer(String recipient) {
        if (recipient.toUpperCase(Locale.ROOT).startsWith(IDENTITY_PREFIX)) {
            // a private key given by mistake: never echoed, and never used as if it were public
            throw new DbsnapException("an identity (private key, AGE-SECRET-KEY-1...) was given where a recipient "
                    + "belongs; give its public key instead (dbsnap keygen -y FILE prints it) and keep the identity "
                    + "away from snapshot Jobs");
        }
        if (!recipient.startsWith(RECIPIENT_PREFIX)) {
            throw new DbsnapException("not an age recipient: '" + shortened(recipient) + "' (expected age1..., as "
                    + "age-keygen or dbsnap keygen prints it)");
        }
        try {
            return X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(recipient);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new DbsnapException("not a valid age recipient: " + recipient + " (" + e.getMessage() + ")", e);
        }
    }

    static RecipientStanzaReader reader(String identity) {
        if (!identity.toUpperCase(Locale.ROOT).startsWith(IDENTITY_PREFIX)) {
            // never echo what may be a private key of another kind
            throw new DecryptionException("not an age X25519 identity: a line does not start with " + IDENTITY_PREFIX);
        }
        try {
            return X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(identity);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new DecryptionException("not a valid age identity (" + IDENTITY_PREFIX + "...): its checksum or "
                    + "length is wrong", e);
        }
    }

    private static List<String> keyLines(Path file, String kind) {
        if (file.toString().toUpperCase(Locale.ROOT).contains(IDENTITY_PREFIX)) {
            // a key pasted where its file belongs: never repeated, not even as a file name
            throw new DecryptionException("an age identity itself was given where its file belongs; put it in a file "
                    + "(chmod 600) and name the file, or put it in $" + IDENTITY_ENVIRONMENT);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DbsnapException("cannot read the age " + kind + " file " + file + ": " + e.getMessage(), e);
        }
        return lines(lines);
    }

    private static List<String> lines(List<String> lines) {
        return lines.stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static String shortened(String text) {
        return text.length() > 20 ? text.substring(0, 20) + "..." : text;
    }
}
