package io.dbsnap.core.store;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The S3 client loads the JDK's trusted certificates only at its first TLS handshake
 * ({@link DeferredDefaultTrust}): it must still refuse a server they do not vouch for, and reach one
 * they do (here a self-signed one made trusted through {@code javax.net.ssl.trustStore}, read then).
 */
class S3TlsTrustTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;
    private static HttpsServer server;
    private static HttpsServer otherName;
    private static Path keystore;
    private static Path otherKeystore;

    @BeforeAll
    static void startHttpsServersWithSelfSignedCertificates() throws Exception {
        keystore = selfSigned("server.p12", "ip:127.0.0.1,dns:localhost");
        server = serve(keystore);
        // a certificate for another name, served at 127.0.0.1
        otherKeystore = selfSigned("other.p12", "dns:elsewhere.invalid");
        otherName = serve(otherKeystore);
    }

    private static Path selfSigned(String file, String names) throws Exception {
        Path path = dir.resolve(file);
        Process keytool = new ProcessBuilder("keytool", "-genkeypair", "-alias", "s3", "-keyalg", "EC",
                "-dname", "CN=dbsnap-test", "-ext", "san=" + names, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", path.toString(), "-storepass", PASSWORD)
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        return path;
    }

    private static HttpsServer serve(Path keystorePath) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystorePath.toFile())) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);

        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        // HeadBucket: 200 is all the client needs to hear
        https.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        https.start();
        return https;
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        otherName.stop(0);
    }

    @AfterEach
    void forgetTheTrustStore() {
        System.clearProperty("javax.net.ssl.trustStore");
        System.clearProperty("javax.net.ssl.trustStorePassword");
        System.clearProperty("javax.net.ssl.trustStoreType");
    }

    private static S3ObjectStore store() {
        return store(server);
    }

    private static S3ObjectStore store(HttpsServer https) {
        return new S3ObjectStore("bucket", "", S3Settings.defaults()
                .withEndpoint(URI.create("https://127.0.0.1:" + https.getAddress().getPort()))
                .withPathStyle(true).withCredentials("key", "secret"));
    }

    @Test
    void aServerTheJdkDoesNotTrustIsRefused() {
        try (S3ObjectStore store = store()) {
            assertThatThrownBy(store::checkAccess).hasStackTraceContaining("PKIX path building failed");
        }
    }

    @Test
    void aServerTheJdkTrustsIsReached() {
        // set after the client was built: the certificates are read at the first handshake
        try (S3ObjectStore store = store()) {
            trust(keystore);
            store.checkAccess();
        }
    }

    @Test
    void aTrustedCertificateForAnotherNameIsRefused() {
        try (S3ObjectStore store = store(otherName)) {
            trust(otherKeystore);
            assertThatThrownBy(store::checkAccess).hasStackTraceContaining("127.0.0.1")
                    .satisfies(e -> assertThat(e).hasRootCauseInstanceOf(javax.net.ssl.SSLPeerUnverifiedException.class));
        }
    }

    private static void trust(Path store) {
        System.setProperty("javax.net.ssl.trustStore", store.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    }
}
