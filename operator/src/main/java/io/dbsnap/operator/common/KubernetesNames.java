package io.dbsnap.operator.common;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Names and label values within Kubernetes' limits, unique by a short hash of what they stand for. */
public final class KubernetesNames {

    /** A Job's pods are named JOB-xxxxx and carry its name in a label: 52 leaves room for both (as CronJob does). */
    public static final int MAX_JOB_NAME = 52;
    public static final int MAX_LABEL_VALUE = 63;
    private static final int HASH_CHARS = 6;

    private KubernetesNames() {
    }

    /** {@code prefix-NAME-HASH}, the name cut so the whole fits in {@code max}; the hash of {@code unique} keeps it unique. */
    public static String bounded(String prefix, String name, String unique, int max) {
        String hash = hash(unique);
        int room = max - prefix.length() - 1 - HASH_CHARS - 1;
        String cut = name.length() <= room ? name : name.substring(0, room);
        cut = cut.replaceAll("[-.]+$", "");
        return prefix + "-" + cut + "-" + hash;
    }

    /** A label value: the name itself when it fits, else cut and hashed. */
    public static String labelValue(String name) {
        if (name.length() <= MAX_LABEL_VALUE) {
            return name;
        }
        String cut = name.substring(0, MAX_LABEL_VALUE - HASH_CHARS - 1).replaceAll("[-.]+$", "");
        return cut + "-" + hash(name);
    }

    /** How messages call a resource of this kind: "snapshot", "restore", "schedule". */
    public static String noun(HasMetadata resource) {
        return switch (resource.getKind()) {
            case "DatabaseSnapshot" -> "snapshot";
            case "SnapshotRestore" -> "restore";
            case "SnapshotSchedule" -> "schedule";
            default -> resource.getKind();
        };
    }

    static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
