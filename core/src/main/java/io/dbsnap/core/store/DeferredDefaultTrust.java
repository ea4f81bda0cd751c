package io.dbsnap.core.store;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * The JDK's default trust manager, the same certificates and checks, loaded at the first TLS handshake
 * instead of when the S3 client is built: reading the CA store is part of every command's start, and
 * an endpoint over plain HTTP never needs it.
 */
final class DeferredDefaultTrust extends X509ExtendedTrustManager {

    private volatile X509ExtendedTrustManager loaded;

    private X509ExtendedTrustManager trust() throws CertificateException {
        X509ExtendedTrustManager trust = loaded;
        if (trust == null) {
            synchronized (this) {
                if (loaded == null) {
                    loaded = load();
                }
                trust = loaded;
            }
        }
        return trust;
    }

    private static X509ExtendedTrustManager load() throws CertificateException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    return x509;
                }
            }
            throw new CertificateException("the JDK's default trust manager factory has no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new CertificateException("cannot load the JDK's trusted certificates: " + e.getMessage(), e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        trust().checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        trust().checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        trust().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        trust().checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        trust().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        trust().checkServerTrusted(chain, authType, engine);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        try {
            return trust().getAcceptedIssuers();
        } catch (CertificateException e) {
            return new X509Certificate[0];
        }
    }
}
