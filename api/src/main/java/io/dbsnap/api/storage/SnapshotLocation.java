package io.dbsnap.api.storage;

import java.util.Optional;

/**
 * Where one snapshot is: its store ({@code s3://bucket/prefix}, {@code file:///dir}) and its folder
 * {@code NAMESPACE/SOURCE/ID/} in it. Every location and key is taken apart here, and only here.
 */
public record SnapshotLocation(String storeUri, String namespace, String source, String id) {

    public SnapshotLocation {
        for (String segment : new String[]{namespace, source, id}) {
            if (segment == null || segment.isEmpty() || segment.contains("/")) {
                throw new IllegalArgumentException("not a snapshot folder segment: '" + segment + "'");
            }
        }
        if (!SnapshotLayout.isSnapshotId(id)) {
            throw new IllegalArgumentException("'" + id + "' is not a snapshot id (yyyyMMdd-HHmmss-NAME)");
        }
    }

    /**
     * {@code s3://bucket/prefix/NS/SOURCE/ID/} (the trailing slash optional): the last three segments
     * are the folder, the rest the store. A location naming anything but one snapshot's folder is refused.
     */
    public static SnapshotLocation parse(String location) {
        String trimmed = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
        String[] at = new String[3];
        String store = trimmed;
        for (int i = 2; i >= 0; i--) {
            int slash = store.lastIndexOf('/');
            if (slash < 0 || store.substring(0, slash).endsWith(":/") || store.substring(0, slash).endsWith(":")) {
                throw new IllegalArgumentException("location " + location + " is not a snapshot folder "
                        + "(STORE/NAMESPACE/SOURCE/ID/)");
            }
            at[i] = store.substring(slash + 1);
            store = store.substring(0, slash);
        }
        try {
            return new SnapshotLocation(store, at[0], at[1], at[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("location " + location + " is not a snapshot folder: " + e.getMessage(), e);
        }
    }

    /** The folder of a key laid out as {@code NAMESPACE/SOURCE/ID/FILE}, relative to its store; else empty. */
    public static Optional<SnapshotLocation> ofKey(String storeUri, String key) {
        String[] parts = key.split("/", -1);
        if (parts.length != 4 || parts[3].isEmpty() || !SnapshotLayout.isSnapshotId(parts[2])
                || parts[0].isEmpty() || parts[1].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SnapshotLocation(storeUri, parts[0], parts[1], parts[2]));
    }

    /** {@code NAMESPACE/SOURCE/ID/}: the folder's key prefix in its store. */
    public String prefix() {
        return namespace + "/" + source + "/" + id + "/";
    }

    @Override
    public String toString() {
        return storeUri + "/" + prefix();
    }
}
