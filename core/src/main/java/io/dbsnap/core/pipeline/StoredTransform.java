package io.dbsnap.core.pipeline;

import io.dbsnap.core.DbsnapException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the pipeline does between compression and the store (kopia's encryption registered by name):
 * engine -> count -> compress -> TRANSFORM -> SHA-256 -> store, and back. The manifest's
 * {@code encryption} names it; a name no registered transform has is refused, never read as plain
 * data. Today only {@code none} is registered; age encryption is one more.
 */
public interface StoredTransform {

    /** As the manifest records it, e.g. {@code none}, {@code age}. */
    String id();

    /** Added to the stored file's name, e.g. {@code .age}; empty for none. */
    String extension();

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

    List<StoredTransform> REGISTERED = List.of(NONE);

    /** The transform a manifest names; {@code null} (a manifest older than the field) is none. */
    static StoredTransform forName(String id) {
        String wanted = id == null ? NONE.id() : id;
        return REGISTERED.stream().filter(t -> t.id().equals(wanted)).findFirst()
                .orElseThrow(() -> new DbsnapException("the snapshot is stored with encryption '" + wanted
                        + "', which this dbsnap cannot read (it knows " + REGISTERED.stream().map(StoredTransform::id)
                        .collect(Collectors.joining(", ")) + "); it is not read"));
    }
}
