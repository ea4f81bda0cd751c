package io.dbsnap.core.store;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
    private static final long HEAP_RESERVE = 64L * 1024 * 1024;
    private static final long ABORT_FIRST_BACKOFF_MS = 250;
    private static final long UPLOAD_DRAIN_SECONDS = 30;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final S3ObjectStore store;
    private final S3Client s3;
    private final String key;
    private final PartSizer sizer;
    private final int maxPartBytes;
    private final boolean partChecksums;
    private final ExecutorService uploader;
    private final Semaphore inFlight;
    private final BlockingQueue<byte[]> spare;
    private final List<Future<CompletedPart>> parts = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private byte[] buffer;
    private int filled;
    private int partNumber = 1;
    private volatile String uploadId;
    private volatile boolean committed;
    private volatile boolean aborted;
    private boolean interruptedWhileAborting;
    /** Names this write in the object's metadata: a retry that finds the key taken can tell its own landed write. */
    private final String writeId = java.util.UUID.randomUUID().toString();

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
        this.maxPartBytes = maxPartBytes(Runtime.getRuntime().maxMemory(), concurrency);
        this.buffer = new byte[partSize(1)];
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
            throw new IOException("object " + key + " exceeds S3's " + PartSizer.MAX_PARTS + " parts of at most "
                    + (maxPartBytes >> 20) + " MiB; give dbsnap a larger heap (DBSNAP_JAVA_OPTS=-Xmx4g)");
        }
        if (uploadId == null) {
            // under the lock abort() takes: a shutdown hook's abort sees the upload or prevents it
            synchronized (this) {
                if (aborted) {
                    throw new IOException("upload of " + key + " was aborted");
                }
                uploadId = store.call("start an upload to", () -> s3.createMultipartUpload(b -> {
                    b.bucket(store.bucket()).key(key).metadata(store.writeTag(writeId));
                    if (partChecksums) {
                        b.checksumAlgorithm(ChecksumAlgorithm.CRC32);
                    }
                })).uploadId();
            }
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
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
                throw e;
            } finally {
                spare.offer(data);
                inFlight.release();
            }
        }));
        buffer = nextBuffer(partNumber <= PartSizer.MAX_PARTS ? partSize(partNumber) : data.length);
        filled = 0;
        ensureWritable();
    }

    /**
     * Parts in flight, the one filling and a spare must fit the heap together; past that the parts
     * stop growing, and a dump too large for 10,000 such parts fails with advice, never with an
     * OutOfMemoryError.
     */
    static int maxPartBytes(long maxHeap, int concurrency) {
        long perBuffer = (maxHeap - HEAP_RESERVE) / (concurrency + 2);
        return (int) Math.max(PartSizer.MIN_PART, Math.min(perBuffer, Integer.MAX_VALUE - 8));
    }

    private int partSize(int number) {
        return Math.min(sizer.partSize(number), maxPartBytes);
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
                    } else {
                        // without the SDK's checksums, Content-MD5 still lets the server refuse a damaged part
                        b.contentMD5(md5Base64(data, length));
                    }
                }, RequestBody.fromContentProvider(content, length, "application/octet-stream")));
        CompletedPart.Builder part = CompletedPart.builder().partNumber(number).eTag(response.eTag());
        if (partChecksums) {
            part.checksumCRC32(response.checksumCRC32());
        }
        return part.build();
    }

    static String md5Base64(byte[] data, int length) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(data, 0, length);
            return Base64.getEncoder().encodeToString(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
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
                // never over an object another run stored under the same key meanwhile
                store.createOnly(key, writeId, () -> s3.completeMultipartUpload(b -> b
                        .bucket(store.bucket()).key(key).uploadId(uploadId).ifNoneMatch("*")
                        .multipartUpload(m -> m.parts(done))));
            }
            committed = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw abortAfter(new IOException("interrupted while uploading " + key, e));
        } catch (ExecutionException e) {
            throw abortAfter(new IOException("upload of " + key + " failed: " + message(e.getCause()), e.getCause()));
        } catch (RuntimeException e) {
            throw abortAfter(e);
        } catch (IOException e) {
            throw abortAfter(e);
        } finally {
            uploader.shutdownNow();
        }
    }

    /** Aborts, keeping {@code failure} as the error a person sees and the abort's own trouble beside it. */
    private <E extends Exception> E abortAfter(E failure) {
        try {
            abort();
        } catch (RuntimeException abortFailure) {
            failure.addSuppressed(abortFailure);
        }
        return failure;
    }

    private void putWhole() {
        final byte[] data = buffer;
        final int length = filled;
        store.createOnly(key, writeId, () -> s3.putObject(b -> {
                    b.bucket(store.bucket()).key(key).contentLength((long) length).ifNoneMatch("*")
                            .metadata(store.writeTag(writeId));
                    if (!partChecksums) {
                        b.contentMD5(md5Base64(data, length));
                    }
                },
                RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, 0, length), length,
                        "application/octet-stream")));
    }

    /** Safe from any thread (a shutdown hook), more than once, and with the caller's thread interrupted. */
    @Override
    public synchronized void abort() {
        if (committed || aborted) {
            return;
        }
        aborted = true;
        boolean interrupted = Thread.interrupted();
        try {
            parts.forEach(p -> p.cancel(true));
            uploader.shutdownNow();
            // a part still being sent when the abort lands could outlive it: let them end first
            uploader.awaitTermination(UPLOAD_DRAIN_SECONDS, TimeUnit.SECONDS);
            buffer = null;
            if (uploadId != null) {
                abortUpload();
            }
        } catch (InterruptedException e) {
            interrupted = true;
            if (uploadId != null) {
                abortUpload();
            }
        } finally {
            if (interrupted || interruptedWhileAborting) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Retries, because the failure that brought us here is often a network that comes back. */
    private void abortUpload() {
        long backoff = ABORT_FIRST_BACKOFF_MS;
        for (int attempt = 1; ; attempt++) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(store.bucket()).key(key).uploadId(uploadId));
                return;
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return; // already gone (aborted, or completed by a call whose answer was lost)
                }
                if (attempt == ABORT_ATTEMPTS) {
                    throw abortFailed(e);
                }
            } catch (SdkException e) {
                if (attempt == ABORT_ATTEMPTS) {
                    throw abortFailed(e);
                }
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                // keep trying: leaving the upload open is worse than finishing late
                interruptedWhileAborting = true;
            }
            backoff *= 2;
        }
    }

    private StoreException abortFailed(SdkException e) {
        return new StoreException("could not abort multipart upload " + uploadId + " of " + key
                + " (it holds no snapshot, since no manifest was written); remove it with a bucket"
                + " lifecycle rule AbortIncompleteMultipartUpload: " + message(e), e);
    }

    @Override
    protected boolean committed() {
        return committed;
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
