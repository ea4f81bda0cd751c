package io.dbsnap.core.store;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Streams an object of unknown length into S3 as a multipart upload. Memory is bounded: at most
 * {@code uploadConcurrency} parts are in flight while one more fills. An object that fits in the
 * first part is sent with one PutObject. Any failure aborts the upload, retrying the abort, so no
 * part is left behind to be billed or mistaken for data.
 */
final class S3MultipartWriter extends ObjectWriter {

    private static final int ABORT_ATTEMPTS = 6;
    private static final long ABORT_FIRST_BACKOFF_MS = 250;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final S3ObjectStore store;
    private final S3Client s3;
    private final String key;
    private final PartSizer sizer;
    private final boolean partChecksums;
    private final ExecutorService uploader;
    private final Semaphore inFlight;
    private final BlockingQueue<byte[]> spare;
    private final List<Future<CompletedPart>> parts = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private byte[] buffer;
    private int filled;
    private int partNumber = 1;
    private String uploadId;
    private boolean committed;
    private boolean aborted;

    S3MultipartWriter(S3ObjectStore store, S3Client s3, String key) {
        this.store = store;
        this.s3 = s3;
        this.key = key;
        S3Settings settings = store.settings();
        this.sizer = settings.partSizer();
        this.partChecksums = !settings.checksumWhenRequired();
        int concurrency = settings.uploadConcurrency();
        this.uploader = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "s3-upload-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.inFlight = new Semaphore(concurrency);
        this.spare = new ArrayBlockingQueue<>(concurrency + 1);
        this.buffer = new byte[sizer.partSize(1)];
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensureWritable();
        while (len > 0) {
            int n = Math.min(len, buffer.length - filled);
            System.arraycopy(b, off, buffer, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == buffer.length) {
                sendPart();
            }
        }
    }

    private void ensureWritable() throws IOException {
        if (aborted || committed) {
            throw new IOException("upload of " + key + " is already " + (committed ? "committed" : "aborted"));
        }
        Throwable failed = failure.get();
        if (failed != null) {
            throw new IOException("upload of " + key + " failed: " + message(failed), failed);
        }
    }

    private void sendPart() throws IOException {
        if (partNumber > PartSizer.MAX_PARTS) {
            throw new IOException("object " + key + " exceeds " + PartSizer.MAX_PARTS + " parts");
        }
        if (uploadId == null) {
            uploadId = store.call("start an upload to", () -> s3.createMultipartUpload(b -> {
                b.bucket(store.bucket()).key(key);
                if (partChecksums) {
                    b.checksumAlgorithm(ChecksumAlgorithm.CRC32);
                }
            })).uploadId();
        }
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while uploading " + key, e);
        }
        final byte[] data = buffer;
        final int length = filled;
        final int number = partNumber++;
        parts.add(uploader.submit(() -> {
            try {
                return uploadPart(number, data, length);
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
                throw e;
            } finally {
                spare.offer(data);
                inFlight.release();
            }
        }));
        buffer = nextBuffer(partNumber <= PartSizer.MAX_PARTS ? sizer.partSize(partNumber) : data.length);
        filled = 0;
        ensureWritable();
    }

    private byte[] nextBuffer(int size) {
        byte[] reused = spare.poll();
        return reused != null && reused.length == size ? reused : new byte[size];
    }

    private CompletedPart uploadPart(int number, byte[] data, int length) {
        ContentStreamProvider content = () -> new ByteArrayInputStream(data, 0, length);
        UploadPartResponse response = store.call("upload part " + number + " of " + key + " to", () ->
                s3.uploadPart(b -> {
                    b.bucket(store.bucket()).key(key).uploadId(uploadId).partNumber(number)
                            .contentLength((long) length);
                    if (partChecksums) {
                        b.checksumAlgorithm(ChecksumAlgorithm.CRC32);
                    }
                }, RequestBody.fromContentProvider(content, length, "application/octet-stream")));
        CompletedPart.Builder part = CompletedPart.builder().partNumber(number).eTag(response.eTag());
        if (partChecksums) {
            part.checksumCRC32(response.checksumCRC32());
        }
        return part.build();
    }

    @Override
    public void commit() throws IOException {
        ensureWritable();
        try {
            if (uploadId == null) {
                putWhole();
            } else {
                if (filled > 0) {
                    sendPart();
                }
                List<CompletedPart> done = new ArrayList<>(parts.size());
                for (Future<CompletedPart> part : parts) {
                    done.add(part.get());
                }
                store.call("complete the upload of " + key + " to", () -> s3.completeMultipartUpload(b -> b
                        .bucket(store.bucket()).key(key).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(done))));
            }
            committed = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
            throw new IOException("interrupted while uploading " + key, e);
        } catch (ExecutionException e) {
            abort();
            throw new IOException("upload of " + key + " failed: " + message(e.getCause()), e.getCause());
        } catch (RuntimeException | IOException e) {
            abort();
            throw e;
        } finally {
            uploader.shutdownNow();
        }
    }

    private void putWhole() {
        final byte[] data = buffer;
        final int length = filled;
        store.call("write " + key + " to", () -> s3.putObject(b -> b.bucket(store.bucket()).key(key)
                        .contentLength((long) length),
                RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, 0, length), length,
                        "application/octet-stream")));
    }

    @Override
    public void abort() {
        if (committed || aborted) {
            return;
        }
        aborted = true;
        parts.forEach(p -> p.cancel(true));
        uploader.shutdownNow();
        buffer = null;
        if (uploadId != null) {
            abortUpload();
        }
    }

    /** Retries, because the failure that brought us here is often a network that comes back. */
    private void abortUpload() {
        long backoff = ABORT_FIRST_BACKOFF_MS;
        for (int attempt = 1; ; attempt++) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(store.bucket()).key(key).uploadId(uploadId));
                return;
            } catch (SdkException e) {
                if (attempt == ABORT_ATTEMPTS) {
                    throw new StoreException("could not abort multipart upload " + uploadId + " of " + key
                            + " (it holds no snapshot, since no manifest was written); remove it with a bucket"
                            + " lifecycle rule AbortIncompleteMultipartUpload: " + message(e), e);
                }
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff *= 2;
        }
    }

    @Override
    protected boolean committed() {
        return committed;
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
