package io.dbsnap.core.pipeline;

import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.catalog.SnapshotCatalog;
import io.dbsnap.core.engine.PostgresEngine;
import io.dbsnap.core.process.LocalProcessRunner;
import io.dbsnap.core.process.ProcessFailedException;
import io.dbsnap.core.store.ObjectStore;
import io.dbsnap.core.store.PartSizer;
import io.dbsnap.core.store.S3ObjectStore;
import io.dbsnap.core.database.TargetParser;
import io.dbsnap.core.testing.WithPostgresAndS3;
import io.dbsnap.core.testing.PgSampleData;
import io.dbsnap.core.testing.PostgresServer;
import io.dbsnap.core.testing.S3Server;
import io.dbsnap.core.testing.TcpProxy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The worst bug in this field is a false success. Each way a snapshot can break mid-way must end
 * in an error, with no manifest, no object, and no multipart upload left in the bucket.
 */
class SnapshotFailureTest extends WithPostgresAndS3 {

    static final PartSizer SMALL_PARTS = new PartSizer(PartSizer.MIN_PART, 1000);
    static final String BUCKET = "failures";

    final SnapshotWriter writer = new SnapshotWriter(new LocalProcessRunner(), Clock.systemUTC());
    final PostgresEngine engine = new PostgresEngine();
    final List<String> warnings = new ArrayList<>();

    @BeforeAll
    static void prepare() throws Exception {
        pg.createDatabase("sample");
        PgSampleData.load(pg, "sample");
        s3.createBucket(BUCKET);
    }


    @BeforeEach
    void bucketIsEmpty() {
        assertThat(s3.keys(BUCKET)).isEmpty();
    }

    private void assertNothingLeft(ObjectStore store) {
        assertThat(new SnapshotCatalog(store, warnings::add).list()).isEmpty();
        assertThat(s3.keys(BUCKET)).isEmpty();
        assertThat(s3.multipartUploads(BUCKET)).isEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void pgDumpKilledMidStreamFailsAndLeavesNothing() {
        AtomicBoolean killed = new AtomicBoolean();
        AtomicBoolean multipartStarted = new AtomicBoolean();
        TransferListener killer = new TransferListener() {
            @Override
            public void progressed(long total) {
                // past the first parts, so a multipart upload is under way when pg_dump dies
                if (total > 30L * 1024 * 1024 && killed.compareAndSet(false, true)) {
                    multipartStarted.set(!s3.multipartUploads(BUCKET).isEmpty());
                    ProcessHandle.current().descendants()
                            .filter(p -> p.info().command().orElse("").endsWith("pg_dump"))
                            .forEach(ProcessHandle::destroyForcibly);
                }
            }
        };
        try (ObjectStore store = new S3ObjectStore(BUCKET, "killed", s3.settings().withPartSizer(SMALL_PARTS))) {
            assertThatThrownBy(() -> writer.take(engine, TargetParser.parse(pg.url("sample")), store,
                    SnapshotRequest.named("killed"), killer))
                    .isInstanceOf(ProcessFailedException.class)
                    .hasMessageContaining("pg_dump failed (killed by signal 9)");
            assertThat(killed).isTrue();
            assertThat(multipartStarted).as("a multipart upload was in progress when pg_dump was killed").isTrue();
            assertNothingLeft(store);
        }
    }

    @Test
    void pgDumpExitingNonZeroFailsAndLeavesNothing() throws Exception {
        // the database vanishes between the version check and the dump: pg_dump itself fails
        pg.createDatabase("vanishing");
        TransferListener dropper = new TransferListener() {
            @Override
            public void started(String what, long expectedBytes) {
                try {
                    pg.dropDatabase("vanishing");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        try (ObjectStore store = new S3ObjectStore(BUCKET, "nonzero", s3.settings())) {
            assertThatThrownBy(() -> writer.take(engine, TargetParser.parse(pg.url("vanishing")), store,
                    SnapshotRequest.named("nonzero"), dropper))
                    .isInstanceOf(ProcessFailedException.class)
                    .hasMessageContaining("pg_dump failed (exit status 1)")
                    .hasMessageContaining("database \"vanishing\" does not exist");
            assertNothingLeft(store);
        }
    }

    @Test
    void aDatabaseThatDoesNotExistFailsBeforeAnythingIsWritten() {
        try (ObjectStore store = new S3ObjectStore(BUCKET, "missing", s3.settings())) {
            assertThatThrownBy(() -> writer.take(engine, TargetParser.parse(pg.url("no_such_db")), store,
                    SnapshotRequest.named("missing"), TransferListener.NONE))
                    .isInstanceOf(DbsnapException.class)
                    .hasMessageContaining("database \"no_such_db\" does not exist")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(pg.password()));
            assertNothingLeft(store);
        }
    }

    @Test
    void s3GoingAwayMidUploadFailsAndTheUploadIsAbortedOnceItIsBack() throws Exception {
        try (TcpProxy network = new TcpProxy(s3.endpoint().getPort());
             ObjectStore store = new S3ObjectStore(BUCKET, "cut",
                     S3Server.settings(network.endpoint()).withPartSizer(SMALL_PARTS))) {
            AtomicBoolean cut = new AtomicBoolean();
            java.util.concurrent.atomic.AtomicReference<Thread> healing = new java.util.concurrent.atomic.AtomicReference<>();
            AtomicBoolean multipartStarted = new AtomicBoolean();
            TransferListener cutter = new TransferListener() {
                @Override
                public void progressed(long total) {
                    if (total > 30L * 1024 * 1024 && cut.compareAndSet(false, true)) {
                        multipartStarted.set(!s3.multipartUploads(BUCKET).isEmpty());
                        network.cut();
                        // the store comes back while dbsnap is still retrying its abort
                        Thread healer = new Thread(() -> {
                            try {
                                Thread.sleep(1500);
                                network.heal();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
                        healing.set(healer);
                        healer.start();
                    }
                }
            };
            assertThatThrownBy(() -> writer.take(engine, TargetParser.parse(pg.url("sample")), store,
                    SnapshotRequest.named("cut"), cutter))
                    .isInstanceOf(DbsnapException.class)
                    .hasMessageContaining("snapshot failed while streaming pg_dump")
                    .hasMessageContaining("upload");
            assertThat(cut).isTrue();
            assertThat(multipartStarted).isTrue();
            // the abort was retried until the store came back; what is left is looked at once it is back
            healing.get().join(TimeUnit.SECONDS.toMillis(30));
            assertNothingLeft(store);
        }
    }
}
