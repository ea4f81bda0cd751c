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
        return ID_TIME.format(createdAt) + "-" + segment(name);
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

    /** The folder of one snapshot, relative to the store's root, ending in {@code /}. */
    public static String snapshotPrefix(String namespace, String source, String id) {
        return segment(namespace) + "/" + segment(source) + "/" + id + "/";
    }

    /** The folder of the snapshot a manifest describes. */
    public static String snapshotPrefix(Manifest manifest) {
        return snapshotPrefix(manifest.source().namespace(), manifest.source().name(), manifest.id());
    }

    public static String manifestKey(String snapshotPrefix) {
        return snapshotPrefix + Manifest.FILE_NAME;
    }
}
