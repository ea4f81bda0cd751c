package io.dbsnap.core.engine;

import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.catalog.SnapshotCatalog;
import io.dbsnap.core.pipeline.ChecksumMismatchException;
import io.dbsnap.core.pipeline.SnapshotRequest;
import io.dbsnap.core.pipeline.SnapshotWriter;
import io.dbsnap.core.pipeline.TransferListener;
import io.dbsnap.core.process.Command;
import io.dbsnap.core.process.LocalProcessRunner;
import io.dbsnap.core.process.ProcessRunner;
import io.dbsnap.core.process.RunningProcess;
import io.dbsnap.core.store.FileObjectStore;
import io.dbsnap.core.target.TargetParser;
import io.dbsnap.core.testing.SqliteDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A file copied out of its source is stored only when the bytes that arrived are the ones the source
 * counted and hashed: an exec stream that ends early without an error is the case this guards.
 */
class FileCopyTest {

    static final String SUM = "a".repeat(64);

    @TempDir
    Path work;

    @Test
    void theReportMustMatchTheBytesThatArrived() {
        String report = "Transfer finished\ndbsnap-copy size=10 sha256=" + SUM + "\n";
        FileCopy.verify(report, 10, SUM, "copy");
        assertThatThrownBy(() -> FileCopy.verify(report, 9, SUM, "copy"))
                .isInstanceOf(ChecksumMismatchException.class).hasMessageContaining("9 bytes arrived")
                .hasMessageContaining("has 10");
        assertThatThrownBy(() -> FileCopy.verify(report, 10, "b".repeat(64), "copy"))
                .isInstanceOf(ChecksumMismatchException.class).hasMessageContaining("SHA-256");
        assertThatThrownBy(() -> FileCopy.verify("Transfer finished\n", 10, SUM, "copy"))
                .isInstanceOf(DbsnapException.class).hasMessageContaining("without reporting");
        // without a SHA-256 tool at the source only the size can be checked, and still is
        FileCopy.verify("dbsnap-copy size=10 sha256=none\n", 10, SUM, "copy");
        assertThatThrownBy(() -> FileCopy.verify("dbsnap-copy size=10 sha256=none\n", 11, SUM, "copy"))
                .isInstanceOf(ChecksumMismatchException.class);
    }

    @Test
    void aCopyCutShortWithoutAnErrorIsNeverStored() throws Exception {
        Path db = work.resolve("app.db");
        SqliteDatabase.create(db);
        FileObjectStore store = new FileObjectStore(work.resolve("store"));
        List<String> warnings = new ArrayList<>();
        SnapshotWriter writer = new SnapshotWriter(new LosingRunner(4096), Clock.systemUTC());

        assertThatThrownBy(() -> writer.take(new SqliteEngine(), TargetParser.parse("sqlite://" + db), store,
                SnapshotRequest.named("cut"), TransferListener.NONE))
                .isInstanceOf(ChecksumMismatchException.class).hasMessageContaining("the stream was cut");
        assertThat(new SnapshotCatalog(store, warnings::add).list()).isEmpty();
        try (var files = Files.walk(work.resolve("store"))) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }

        // the same copy, whole, is stored
        new SnapshotWriter(new LocalProcessRunner(), Clock.systemUTC()).take(new SqliteEngine(),
                TargetParser.parse("sqlite://" + db), store, SnapshotRequest.named("whole"), TransferListener.NONE);
        assertThat(new SnapshotCatalog(store, warnings::add).list()).hasSize(1);
        assertThat(warnings).isEmpty();
    }

    /** Runs commands locally, but the dump's stdout ends {@code lost} bytes early and the exit status is still 0. */
    private static final class LosingRunner implements ProcessRunner {
        private final LocalProcessRunner local = new LocalProcessRunner();
        private final int lost;

        LosingRunner(int lost) {
            this.lost = lost;
        }

        @Override
        public RunningProcess start(Command command) {
            RunningProcess process = local.start(command);
            if (!command.program().equals("sqlite-backup")) {
                return process;
            }
            return new RunningProcess() {
                @Override
                public OutputStream stdin() {
                    return process.stdin();
                }

                @Override
                public InputStream stdout() {
                    return new java.io.ByteArrayInputStream(readAllButTheEnd());
                }

                private byte[] readAllButTheEnd() {
                    try {
                        byte[] all = process.stdout().readAllBytes();
                        return java.util.Arrays.copyOf(all, Math.max(0, all.length - lost));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }

                @Override
                public int waitFor() throws InterruptedException {
                    return process.waitFor();
                }

                @Override
                public String stderrTail() {
                    return process.stderrTail();
                }

                @Override
                public void kill() {
                    process.kill();
                }

                @Override
                public void close() {
                    process.close();
                }
            };
        }
    }
}
