package io.dbsnap.api.storage;

import io.dbsnap.api.manifest.Manifest;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The storage layout every writer and reader shares:
 * {@code <prefix>/<namespace>/<source>/<yyyyMMdd-HHmmss>-<name>/manifest.json} and the data file beside it.
 */
public final class SnapshotLayout {

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final Pattern NOT_ALLOWED = Pattern.compile("[^a-z0-9._-]+");
    private static final Pattern ID = Pattern.compile("\\d{8}-\\d{6}-[a-z0-9._-]+");
    /** Keeps ids readable and keys far below S3's 1024-byte limit. */
    public static final int MAX_SEGMENT = 100;

    private SnapshotLayout() {
    }

    /** {@code 20261121-143022-orders-before-migration}: sorts by time, readable, safe in paths. */
    public static String snapshotId(Instant createdAt, String name) {
        // names that share their first 100 characters, or differ only in case, get different ids
        return ID_TIME.format(createdAt) + "-" + sourceSegment(name);
    }

    public static boolean isSnapshotId(String id) {
        return ID.matcher(id).matches();
    }

    /** Lower-cases and replaces anything outside {@code [a-z0-9._-]} so a name is one safe path segment. */
    public static String segment(String name) {
        String cleaned = NOT_ALLOWED.matcher(name.toLowerCase(Locale.ROOT)).replaceAll("-")
                .replaceAll("^[-.]+", "").replaceAll("-+$", "");
        if (cleaned.length() > MAX_SEGMENT) {
            cleaned = cleaned.substring(0, MAX_SEGMENT).replaceAll("-+$", "");
        }
        return cleaned.isEmpty() ? "unnamed" : cleaned;
    }

    /**
     * A readable folder name for a source, and where making it readable lost anything (case,
     * characters, length), a short hash of the exact text, so that {@code Orders} and {@code orders},
     * or {@code /a/b.db} and {@code /a-b.db}, never share a folder.
     */
    public static String sourceSegment(String readable) {
        String segment = segment(readable);
        if (segment.equals(readable)) {
            return segment;
        }
        String hash = shortHash(readable);
        String base = segment.length() > MAX_SEGMENT - hash.length() - 1
                ? segment.substring(0, MAX_SEGMENT - hash.length() - 1).replaceAll("-+$", "") : segment;
        return base + "-" + hash;
    }

    /** Eight hex digits of the SHA-256 of {@code text}. */
    static String shortHash(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The folder of one snapshot, relative to the store's root, ending in {@code /}. */
    public static String snapshotPrefix(String namespace, String source, String id) {
        return segment(namespace) + "/" + segment(source) + "/" + id + "/";
    }

    /** The folder of the snapshot a manifest describes. */
    public static String snapshotPrefix(Manifest manifest) {
        return snapshotPrefix(manifest.source().namespace(), manifest.source().name(), manifest.id());
    }

    /**
     * The data file's name in a snapshot folder: {@code base} and the compression suffix, never the
     * manifest's own name (a SQLite file may be called {@code manifest.json}).
     */
    public static String dataFileName(String base, String suffix) {
        String name = base + suffix;
        return name.equals(Manifest.FILE_NAME) ? "data-" + name : name;
    }

    public static String manifestKey(String snapshotPrefix) {
        return snapshotPrefix + Manifest.FILE_NAME;
    }
}
