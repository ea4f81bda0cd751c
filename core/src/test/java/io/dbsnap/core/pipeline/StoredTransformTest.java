package io.dbsnap.core.pipeline;

import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.catalog.SnapshotCatalog;
import io.dbsnap.core.crypto.AgeIdentities;
import io.dbsnap.core.database.DatabaseTarget;
import io.dbsnap.core.database.TargetParser;
import io.dbsnap.core.engine.Engines;
import io.dbsnap.core.process.LocalProcessRunner;
import io.dbsnap.core.store.FileObjectStore;
import io.dbsnap.core.testing.SqliteDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The slot between compression and the store: what a transform writes is what is hashed and stored,
 * under its extension and its name in the manifest; a name this dbsnap does not know is never read
 * as plain data.
 */
class StoredTransformTest {

    @TempDir
    Path dir;

    /** A stand-in for encryption: every byte XOR 0x5A. */
    private static final StoredTransform XOR = new StoredTransform() {
        @Override
        public String id() {
            return "xor-test";
        }

        @Override
        public String extension() {
            return ".xor";
        }

        @Override
        public OutputStream toStore(OutputStream stored) {
            return new FilterOutputStream(stored) {
                @Override
                public void write(int b) throws IOException {
                    out.write(b ^ 0x5A);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    byte[] x = new byte[len];
                    for (int i = 0; i < len; i++) {
                        x[i] = (byte) (b[off + i] ^ 0x5A);
                    }
                    out.write(x);
                }
            };
        }

        @Override
        public InputStream fromStore(InputStream stored) {
            return new FilterInputStream(stored) {
            };
        }
    };

    @Test
    void whatTheTransformWritesIsWhatIsHashedAndStoredUnderItsName() throws Exception {
        Path db = dir.resolve("app.db");
        SqliteDatabase.create(db);
        DatabaseTarget target = TargetParser.parse("sqlite://" + db);
        FileObjectStore store = new FileObjectStore(dir.resolve("store"));

        Manifest manifest = new SnapshotWriter(new LocalProcessRunner(), Clock.systemUTC()).take(
                Engines.forTarget(target), target, store, SnapshotRequest.named("t").withTransform(XOR),
                TransferListener.NONE);

        assertThat(manifest.encryption()).isEqualTo("xor-test");
        assertThat(manifest.dataFile().name()).endsWith(".zst.xor");
        Path stored;
        try (var files = Files.walk(dir.resolve("store"))) {
            stored = files.filter(p -> p.getFileName().toString().endsWith(".xor")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(stored);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)))
                .isEqualTo(manifest.dataFile().sha256());
        byte[] plain = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            plain[i] = (byte) (bytes[i] ^ 0x5A);
        }
        try (InputStream raw = Compression.ZSTD.decompress(new ByteArrayInputStream(plain))) {
            assertThat(raw.readAllBytes()).hasSize((int) manifest.dataFile().rawSize());
        }
        // a transform this dbsnap does not know: listed as unreadable, never offered for restore as plain data
        SnapshotCatalog.Listing listing = new SnapshotCatalog(store, w -> { }).listing();
        assertThat(listing.snapshots()).isEmpty();
        assertThat(listing.unreadable()).singleElement().asString().contains("xor-test");
    }

    @Test
    void onlyKnownTransformsAreRead() {
        assertThat(StoredTransform.forReading(manifest("none"), AgeIdentities.NONE)).isSameAs(StoredTransform.NONE);
        assertThat(StoredTransform.forReading(manifest(null), AgeIdentities.NONE)).isSameAs(StoredTransform.NONE);
        assertThat(StoredTransform.forReading(manifest("age"), AgeIdentities.NONE).id()).isEqualTo("age");
        for (String unknown : new String[]{"AES-256-GCM", "", "None", "AGE", "age "}) {
            assertThatThrownBy(() -> StoredTransform.forReading(manifest(unknown), AgeIdentities.NONE))
                    .isInstanceOf(DbsnapException.class)
                    .hasMessageContaining("'" + unknown + "'").hasMessageContaining("it is not read");
        }
    }

    private static Manifest manifest(String encryption) {
        return new Manifest(Manifest.FORMAT_VERSION, "id", "sqlite", "3", null, null, null, null, null, "0",
                "zstd", encryption, java.util.List.of());
    }
}
