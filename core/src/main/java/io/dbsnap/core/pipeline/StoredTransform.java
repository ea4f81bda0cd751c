package io.dbsnap.core.pipeline;

import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.crypto.AgeEncryption;
import io.dbsnap.core.crypto.AgeIdentities;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * What the pipeline does between compression and the store (kopia's encryption registered by name):
 * engine -> count -> compress -> TRANSFORM -> SHA-256 -> store, and back. The manifest's
 * {@code encryption} names it; a name no registered transform has is refused, never read as plain
 * data. {@code none} and {@code age} ({@link AgeEncryption}) are known.
 */
public interface StoredTransform {

    /** As the manifest records it, e.g. {@code none}, {@code age}. */
    String id();

    /** Added to the stored file's name, e.g. {@code .age}; empty for none. */
    String extension();

    /** The public keys the stored object is encrypted to, as the manifest records them. */
    default List<String> recipients() {
        return List.of();
    }

    /** Whether {@link #fromStore} can decode (an encrypted snapshot read without its key cannot). */
    default boolean canRead() {
        return true;
    }

    /** What a failure while reading through {@link #fromStore} means, when it is this transform's. */
    default java.util.Optional<String> explain(IOException failure) {
        return java.util.Optional.empty();
    }

    /** Fails, saying what is missing, when {@link #canRead} is false. */
    default void requireReadable() {
    }

    /** Wraps the stream that goes to the store (it is hashed after this). */
    OutputStream toStore(OutputStream stored) throws IOException;

    /** Unwraps what came from the store (hashed before this), before decompression. */
    InputStream fromStore(InputStream stored) throws IOException;

    StoredTransform NONE = new StoredTransform() {
        @Override
        public String id() {
            return "none";
        }

        @Override
        public String extension() {
            return "";
        }

        @Override
        public OutputStream toStore(OutputStream stored) {
            return stored;
        }

        @Override
        public InputStream fromStore(InputStream stored) {
            return stored;
        }
    };

    List<String> KNOWN = List.of("none", AgeEncryption.ID);

    /**
     * The transform a manifest names, able to read with {@code identities}; {@code null} (a manifest older
     * than the field) is none.
     */
    static StoredTransform forReading(Manifest manifest, AgeIdentities identities) {
        String wanted = manifest.encryption() == null ? NONE.id() : manifest.encryption();
        if (wanted.equals(NONE.id())) {
            return NONE;
        }
        if (wanted.equals(AgeEncryption.ID)) {
            return AgeEncryption.reading(manifest.recipients(), identities);
        }
        throw new DbsnapException("the snapshot is stored with encryption '" + wanted + "', which this dbsnap cannot "
                + "read (it knows " + String.join(", ", KNOWN) + "); it is not read");
    }
}
