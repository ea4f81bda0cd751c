package io.dbsnap.core.testing;

import io.dbsnap.core.store.S3Settings;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

import java.net.URI;
import java.util.List;

/** A real S3 API in this process: S3Proxy over an in-memory blob store, on a free loopback port. */
public final class S3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "dbsnap-test-access";
    public static final String SECRET_KEY = "dbsnap-test-secret-4f2a9c";
    private final S3Proxy proxy;
    private final URI endpoint;
    private final S3Client client;

    private S3Server(S3Proxy proxy) {
        this.proxy = proxy;
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        this.client = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    public static S3Server start() throws Exception {
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new TransientNio2BlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        for (int i = 0; i < 100 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(50);
        }
        return new S3Server(proxy);
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A client for assertions (listing objects and multipart uploads), outside the code under test. */
    public S3Client client() {
        return client;
    }

    public void createBucket(String bucket) {
        client.createBucket(b -> b.bucket(bucket));
    }

    /** Settings for the code under test, through {@code endpoint} (this server or a proxy in front of it). */
    public static S3Settings settings(URI endpoint) {
        return S3Settings.defaults().withEndpoint(endpoint).withPathStyle(true).withCredentials(ACCESS_KEY, SECRET_KEY);
    }

    public S3Settings settings() {
        return settings(endpoint);
    }

    public List<String> keys(String bucket) {
        return client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                .map(o -> o.key()).toList();
    }

    public List<MultipartUpload> multipartUploads(String bucket) {
        return client.listMultipartUploads(b -> b.bucket(bucket)).uploads();
    }

    @Override
    public void close() throws Exception {
        client.close();
        proxy.stop();
    }
}
