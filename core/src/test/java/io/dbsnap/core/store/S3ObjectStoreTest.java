package io.dbsnap.core.store;

import io.dbsnap.core.testing.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3ObjectStoreTest {

    static S3Server s3;
    static final PartSizer SMALL_PARTS = new PartSizer(PartSizer.MIN_PART, 2);

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3Server.start();
        s3.createBucket("objects");
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void multipartUploadOfUnknownLengthReadsBackWhole(boolean checksumWhenRequired) throws IOException {
        // 5 parts of growing size (5, 5, 10, 10 MiB and a short last one)
        byte[] data = random(33 * 1024 * 1024 + 17);
        try (S3ObjectStore store = new S3ObjectStore("objects", "multi/" + checksumWhenRequired,
                s3.settings().withPartSizer(SMALL_PARTS).withChecksumWhenRequired(checksumWhenRequired))) {
            try (ObjectWriter writer = store.create("x/data.bin")) {
                for (int off = 0; off < data.length; off += 100_000) {
                    writer.write(data, off, Math.min(100_000, data.length - off));
                }
                assertThat(store.list("x/")).isEmpty();
                assertThat(s3.multipartUploads("objects")).hasSize(1);
                writer.commit();
            }
            try (InputStream in = store.open("x/data.bin")) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
            assertThat(store.list("x/")).singleElement().satisfies(o -> {
                assertThat(o.key()).isEqualTo("x/data.bin");
                assertThat(o.size()).isEqualTo(data.length);
                assertThat(o.modified()).isNotNull();
            });
        }
        assertThat(s3.multipartUploads("objects")).isEmpty();
    }

    @Test
    void aSmallObjectIsOnePutAndAnEmptyOneWorks() throws IOException {
        try (S3ObjectStore store = new S3ObjectStore("objects", "small", s3.settings())) {
            for (int size : new int[]{0, 1, 1000}) {
                try (ObjectWriter writer = store.create("s" + size)) {
                    writer.write(random(size));
                    writer.commit();
                }
                assertThat(store.get("s" + size)).isEqualTo(random(size));
            }
        }
    }

    @Test
    void closingWithoutCommitAbortsTheMultipartUpload() throws IOException {
        try (S3ObjectStore store = new S3ObjectStore("objects", "aborted", s3.settings().withPartSizer(SMALL_PARTS))) {
            try (ObjectWriter writer = store.create("big.bin")) {
                writer.write(random(12 * 1024 * 1024));
                assertThat(s3.multipartUploads("objects")).hasSize(1);
            }
            assertThat(store.list("")).isEmpty();
        }
        assertThat(s3.multipartUploads("objects")).isEmpty();
    }

    @Test
    void aMissingBucketIsNamed() {
        try (S3ObjectStore store = new S3ObjectStore("no-such-bucket", "p", s3.settings())) {
            assertThatThrownBy(store::checkAccess).isInstanceOf(StoreException.class)
                    .hasMessageContaining("bucket 'no-such-bucket' does not exist");
        }
    }

    @Test
    void wrongCredentialsAreNamedWithoutTheSecret() {
        try (S3ObjectStore store = new S3ObjectStore("objects", "p",
                s3.settings().withCredentials("wrong", "very-secret-key"))) {
            assertThatThrownBy(store::checkAccess).isInstanceOf(StoreException.class)
                    .hasMessageContaining("AWS_ACCESS_KEY_ID")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("very-secret-key"));
        }
    }

    /** A create-only write whose first attempt landed, answer lost, and whose retry finds the key taken. */
    @Test
    void aWriteThatFindsItsOwnLandedObjectCountsAsWrittenAndAnotherRunsDoesNot() {
        try (S3ObjectStore store = new S3ObjectStore("objects", "retried", s3.settings())) {
            String key = "retried/a/manifest.json";
            // what the first attempt left: the object, named by this write's id
            s3.client().putObject(b -> b.bucket("objects").key(key).metadata(Map.of("dbsnap-write", "write-1")),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("first"));

            store.createOnly(key, "write-1", () -> s3.client().putObject(b -> b.bucket("objects").key(key)
                    .ifNoneMatch("*").metadata(Map.of("dbsnap-write", "write-1")),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("first")));
            assertThatThrownBy(() -> store.createOnly(key, "write-2", () -> s3.client().putObject(b -> b
                    .bucket("objects").key(key).ifNoneMatch("*").metadata(Map.of("dbsnap-write", "write-2")),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("second"))))
                    .isInstanceOf(ObjectExistsException.class);
            assertThat(s3.client().getObjectAsBytes(b -> b.bucket("objects").key(key)).asUtf8String()).isEqualTo("first");
        }
    }

    @Test
    void anOldUploadWhosePartsAreStillArrivingIsNeverAborted() throws Exception {
        try (S3ObjectStore store = new S3ObjectStore("objects", "slow", s3.settings())) {
            String key = "slow/local/src/20260101-000000-x/pg.dump.zst";
            String uploadId = s3.client().createMultipartUpload(b -> b.bucket("objects").key(key)).uploadId();
            Thread.sleep(1100);
            java.time.Instant cutoff = java.time.Instant.now();
            Thread.sleep(1100);
            s3.client().uploadPart(b -> b.bucket("objects").key(key).uploadId(uploadId).partNumber(1),
                    software.amazon.awssdk.core.sync.RequestBody.fromBytes(random(5 * 1024 * 1024)));

            // started before the cutoff, but a part arrived after it: still running
            assertThat(store.incompleteWrites(cutoff)).isEmpty();
            assertThat(store.incompleteWrites(java.time.Instant.now().plusSeconds(60))).hasSize(1);
            s3.client().abortMultipartUpload(b -> b.bucket("objects").key(key).uploadId(uploadId));
        }
    }

    @Test
    void anUploadAKilledRunLeftIsFoundByAgeAndAborted() {
        try (S3ObjectStore store = new S3ObjectStore("objects", "leftover", s3.settings())) {
            String uploadId = s3.client().createMultipartUpload(b -> b.bucket("objects")
                    .key("leftover/local/src/20260101-000000-x/pg.dump.zst")).uploadId();
            java.time.Instant later = java.time.Instant.now().plusSeconds(60);
            assertThat(store.incompleteWrites(java.time.Instant.now().minusSeconds(3600))).isEmpty();
            List<IncompleteWrite> leftovers = store.incompleteWrites(later);
            assertThat(leftovers).singleElement().satisfies(w -> {
                assertThat(w.key()).isEqualTo("local/src/20260101-000000-x/pg.dump.zst");
                assertThat(w.handle()).isEqualTo(uploadId);
            });
            store.discard(leftovers.get(0));
            store.discard(leftovers.get(0)); // already gone: not an error
            assertThat(s3.multipartUploads("objects")).isEmpty();
        }
    }
}
