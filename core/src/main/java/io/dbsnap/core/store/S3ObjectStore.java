package io.dbsnap.core.store;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/** A store in an S3-compatible bucket ({@code s3://bucket/prefix}). */
public final class S3ObjectStore implements ObjectStore {

    /** The user-metadata key that names the write an object came from. */
    private static final String WRITE_TAG = "dbsnap-write";

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final S3Settings settings;

    public S3ObjectStore(String bucket, String prefix, S3Settings settings) {
        this.bucket = bucket;
        this.prefix = normalizePrefix(prefix);
        this.settings = settings;
        this.s3 = client(settings);
    }

    static S3Client client(S3Settings settings) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyle())
                .credentialsProvider(credentials(settings))
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(settings.uploadConcurrency() + 4)
                        .tlsTrustManagersProvider(() -> new javax.net.ssl.TrustManager[]{new DeferredDefaultTrust()})
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(120)));
        if (settings.checksumWhenRequired()) {
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(S3Settings settings) {
        if (settings.accessKeyId().isPresent() && settings.secretAccessKey().isPresent()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    settings.accessKeyId().get(), settings.secretAccessKey().get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static String normalizePrefix(String prefix) {
        String p = prefix == null ? "" : prefix.replaceAll("^/+", "").replaceAll("/+$", "");
        return p.isEmpty() ? "" : p + "/";
    }

    @Override
    public String uri() {
        return "s3://" + bucket + "/" + prefix;
    }

    String bucket() {
        return bucket;
    }

    String fullKey(String key) {
        return prefix + key;
    }

    S3Settings settings() {
        return settings;
    }

    @Override
    public void checkAccess() {
        call("open", () -> s3.headBucket(b -> b.bucket(bucket)));
    }

    @Override
    public ObjectWriter create(String key) {
        return new S3MultipartWriter(this, s3, fullKey(key));
    }

    @Override
    public void put(String key, byte[] content) {
        String writeId = java.util.UUID.randomUUID().toString();
        createOnly(fullKey(key), writeId, () -> s3.putObject(b -> {
            b.bucket(bucket).key(fullKey(key)).contentLength((long) content.length).ifNoneMatch("*")
                    .metadata(writeTag(writeId));
            if (settings.checksumWhenRequired()) {
                b.contentMD5(S3MultipartWriter.md5Base64(content, content.length));
            }
        }, RequestBody.fromBytes(content)));
    }

    @Override
    public byte[] get(String key) {
        return call("read " + key + " from", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(fullKey(key))))
                .asByteArray();
    }

    @Override
    public InputStream open(String key) {
        return call("read " + key + " from", () -> s3.getObject(b -> b.bucket(bucket).key(fullKey(key))));
    }

    @Override
    public InputStream open(String key, long offset) {
        if (offset == 0) {
            return open(key);
        }
        return call("read " + key + " from byte " + offset + " of", () -> s3.getObject(b -> b.bucket(bucket)
                .key(fullKey(key)).range("bytes=" + offset + "-")));
    }

    @Override
    public List<StoredObject> list(String keyPrefix) {
        return call("list", () -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(fullKey(keyPrefix)))
                .contents().stream()
                .map((S3Object o) -> new StoredObject(o.key().substring(prefix.length()), o.size(),
                        o.lastModified()))
                .toList());
    }

    @Override
    public boolean marksWrites() {
        return true;
    }

    @Override
    public boolean markedAsOurs(String key) {
        try {
            return s3.headObject(b -> b.bucket(bucket).key(fullKey(key))).metadata().containsKey(WRITE_TAG);
        } catch (S3Exception e) {
            // gone meanwhile, another tool's encrypted object, a policy that keeps us out: not known to be ours
            return false;
        }
    }

    @Override
    public void delete(String key) {
        call("delete " + key + " in", () -> s3.deleteObject(b -> b.bucket(bucket).key(fullKey(key))));
    }

    @Override
    public List<IncompleteWrite> incompleteWrites(Instant before) {
        return call("list incomplete uploads in", () -> s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(prefix))
                .uploads().stream()
                .filter(u -> u.initiated().isBefore(before))
                // an upload started long ago may still be receiving parts: only a quiet one is abandoned
                .filter(u -> lastPartBefore(u, before))
                .map((MultipartUpload u) -> new IncompleteWrite(u.key().substring(prefix.length()), u.uploadId(),
                        u.initiated()))
                .toList());
    }

    private boolean lastPartBefore(MultipartUpload upload, Instant before) {
        try {
            return s3.listPartsPaginator(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId())).parts()
                    .stream().allMatch(part -> part.lastModified() == null || part.lastModified().isBefore(before));
        } catch (S3Exception e) {
            if (e.statusCode() == 403) {
                // without s3:ListMultipartUploadParts an upload cannot be told quiet: it is left alone
                return false;
            }
            throw e;
        }
    }

    @Override
    public void discard(IncompleteWrite write) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(fullKey(write.key())).uploadId(write.handle()));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw translate("abort an upload in", e);
            }
        } catch (SdkException e) {
            throw translate("abort an upload in", e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    /** User metadata naming one write ({@code x-amz-meta-dbsnap-write}). */
    java.util.Map<String, String> writeTag(String writeId) {
        return java.util.Map.of(WRITE_TAG, writeId);
    }

    /**
     * Runs a create-only write (If-None-Match: *). When the key is taken, the write is still this
     * one's if the object there carries its write id: the SDK retried a write that had landed while
     * its answer was lost. Anything else there is another run's, and the write fails.
     */
    void createOnly(String fullKey, String writeId, Supplier<?> write) {
        try {
            call("write " + fullKey + " to", write);
        } catch (ObjectExistsException e) {
            String there;
            try {
                there = s3.headObject(b -> b.bucket(bucket).key(fullKey)).metadata().get(WRITE_TAG);
            } catch (SdkException unreadable) {
                e.addSuppressed(unreadable);
                throw e;
            }
            if (!writeId.equals(there)) {
                throw e;
            }
        }
    }

    /** Runs one S3 call and turns the SDK's exceptions into a message that names the store. */
    <T> T call(String doing, Supplier<T> action) {
        try {
            return action.get();
        } catch (SdkException e) {
            throw translate(doing, e);
        }
    }

    StoreException translate(String doing, SdkException e) {
        String where = "s3://" + bucket + settings.endpoint().map(u -> " at " + u).orElse("");
        if (e instanceof S3Exception s3e) {
            int status = s3e.statusCode();
            String code = s3e.awsErrorDetails() == null ? "" : s3e.awsErrorDetails().errorCode();
            if ("ConditionalRequestConflict".equals(code)) {
                // two conditional writes of the key at once: neither is known to have won
                return new StoreException("cannot " + doing + " " + where + ": another write of the same object "
                        + "was under way (ConditionalRequestConflict); nothing was replaced, run again", e);
            }
            if (status == 412 || "PreconditionFailed".equals(code)) {
                return new ObjectExistsException("cannot " + doing + " " + where + ": the object exists already "
                        + "(another run chose the same snapshot id at the same time); nothing was replaced", e);
            }
            if ("NoSuchBucket".equals(code) || (status == 404 && doing.equals("open"))) {
                return new StoreException("cannot " + doing + " " + where + ": bucket '" + bucket
                        + "' does not exist; create it or fix --store", e);
            }
            if (status == 403 || "InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code)) {
                return new StoreException("cannot " + doing + " " + where + ": access denied (" + code
                        + "); check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", e);
            }
            if ("NoSuchKey".equals(code) || status == 404) {
                return new StoreException("cannot " + doing + " " + where + ": object not found", e);
            }
            return new StoreException("cannot " + doing + " " + where + ": " + code + " (HTTP " + status + ")", e);
        }
        if (e instanceof SdkClientException && String.valueOf(e.getMessage()).startsWith("Unable to load credentials")) {
            return new StoreException("cannot " + doing + " " + where + ": no S3 credentials found; set "
                    + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use an AWS profile, web identity or instance role", e);
        }
        if (e instanceof SdkClientException) {
            return new StoreException("cannot " + doing + " " + where + ": " + firstLine(e.getMessage())
                    + " (check --s3-endpoint / AWS_ENDPOINT_URL)", e);
        }
        return new StoreException("cannot " + doing + " " + where + ": " + firstLine(e.getMessage()), e);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
