package io.dbsnap.api.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads and writes manifests as JSON; unknown fields are ignored so newer writers stay readable. */
public final class ManifestCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ManifestCodec() {
    }

    public static byte[] toJson(Manifest manifest) {
        try {
            return MAPPER.writeValueAsBytes(manifest);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String toJsonString(Manifest manifest) {
        return new String(toJson(manifest), StandardCharsets.UTF_8);
    }

    /** Parses a manifest and checks what a reader relies on. */
    public static Manifest fromJson(byte[] json) throws InvalidManifestException {
        Manifest manifest;
        try {
            manifest = MAPPER.readValue(json, Manifest.class);
        } catch (IOException e) {
            throw new InvalidManifestException("not a manifest: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (manifest.formatVersion() != Manifest.FORMAT_VERSION) {
            throw new InvalidManifestException("manifest formatVersion " + manifest.formatVersion()
                    + " is not supported (this dbsnap reads " + Manifest.FORMAT_VERSION + ")");
        }
        if (manifest.id() == null || manifest.engine() == null || manifest.source() == null
                || manifest.createdAt() == null || manifest.files().isEmpty()) {
            throw new InvalidManifestException("manifest lacks id, engine, source, createdAt or files");
        }
        if (manifest.encryption() != null && !Manifest.ENCRYPTIONS.contains(manifest.encryption())) {
            // never read as plain data: an encrypted dump restored as if it were one would be garbage, or worse
            throw new InvalidManifestException("manifest of " + manifest.id() + " says its data is encrypted with '"
                    + manifest.encryption() + "', which this dbsnap cannot read");
        }
        if ("age".equals(manifest.encryption()) && (manifest.recipients() == null || manifest.recipients().stream()
                .anyMatch(r -> r == null || !r.matches("age1[02-9ac-hj-np-z]+")))) {
            throw new InvalidManifestException("manifest of " + manifest.id() + " says its data is age-encrypted but "
                    + "names no valid recipients");
        }
        for (ManifestFile file : manifest.files()) {
            if (file.name() == null || file.sha256() == null || !file.sha256().matches("[0-9a-f]{64}")
                    || file.size() < 0 || file.rawSize() < 0) {
                throw new InvalidManifestException("manifest of " + manifest.id() + " has an invalid file entry");
            }
        }
        return manifest;
    }

    /** A manifest that cannot be read; the snapshot it belongs to is treated as absent. */
    public static final class InvalidManifestException extends Exception {
        public InvalidManifestException(String message) {
            super(message);
        }
    }
}
