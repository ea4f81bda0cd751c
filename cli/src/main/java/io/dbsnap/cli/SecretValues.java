package io.dbsnap.cli;

import io.fabric8.kubernetes.api.model.Secret;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A Secret's value as the API returns it: base64 in {@code data}, or plain in {@code stringData}. */
final class SecretValues {

    private SecretValues() {
    }

    /** The value of {@code key}, or null when the Secret has none. */
    static String of(Secret secret, String key) {
        if (secret.getData() != null && secret.getData().get(key) != null) {
            return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
        }
        return secret.getStringData() == null ? null : secret.getStringData().get(key);
    }
}
