package io.dbsnap.core.mask;

import io.dbsnap.core.DbsnapException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The secret that makes masking deterministic without being reversible: the same key gives the same
 * output for the same input, so two pulls and both sides of a foreign key agree; without it nobody can
 * test guesses against the masked values. There is no built-in default (Copycat's public one is the trap).
 */
public final class MaskKey {

    public static final String ENVIRONMENT = "DBSNAP_MASK_KEY";
    static final int MIN_BYTES = 16;

    private final byte[] bytes;

    private MaskKey(byte[] bytes) {
        if (bytes.length < MIN_BYTES) {
            throw new MaskRulesException("the masking key has " + bytes.length + " bytes; it needs at least "
                    + MIN_BYTES + " (e.g. head -c 32 /dev/urandom | base64 > mask.key)");
        }
        this.bytes = bytes;
    }

    public static MaskKey of(String text) {
        return new MaskKey(text.strip().getBytes(StandardCharsets.UTF_8));
    }

    /** From {@code --mask-key-file} when given, else from {@code DBSNAP_MASK_KEY}; null when neither is set. */
    public static MaskKey find(Path file, Map<String, String> env) {
        if (file != null) {
            try {
                return of(Files.readString(file));
            } catch (IOException e) {
                throw new DbsnapException("cannot read the masking key " + file + ": " + e.getMessage(), e);
            }
        }
        String fromEnv = env.get(ENVIRONMENT);
        return fromEnv == null || fromEnv.isBlank() ? null : of(fromEnv);
    }

    byte[] bytes() {
        return Arrays.copyOf(bytes, bytes.length);
    }

    @Override
    public String toString() {
        return "MaskKey[hidden]";
    }
}
