package io.dbsnap.sandbox;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** S3Proxy on a loopback port, keeping objects as plain files under a folder (bucket/key), so sha256sum can check them. */
final class SandboxS3 implements AutoCloseable {

    private final S3Proxy proxy;

    private SandboxS3(S3Proxy proxy) {
        this.proxy = proxy;
    }

    static SandboxS3 start(Path folder, String accessKey, String secretKey, String... buckets) throws Exception {
        for (String bucket : buckets) {
            // a bucket is a folder of the store's root
            Files.createDirectories(folder.resolve(bucket));
        }
        S3Proxy proxy = S3Proxy.builder().blobStore(new FilesystemNio2BlobStore(folder.toAbsolutePath().toString())).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey).build();
        proxy.start();
        for (int i = 0; i < 100 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(50);
        }
        return new SandboxS3(proxy);
    }

    String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
