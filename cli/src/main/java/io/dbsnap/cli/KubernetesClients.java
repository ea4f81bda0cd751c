package io.dbsnap.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import okhttp3.OkHttpClient;

/** The one way the command line and the agent open a Kubernetes client (kubeconfig or in-cluster, as fabric8 finds it). */
public final class KubernetesClients {

    private KubernetesClients() {
    }

    public static KubernetesClient open() {
        return new KubernetesClientBuilder().withHttpClientFactory(new WithoutWebSocketCompression()).build();
    }

    static KubernetesClient open(Config config) {
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new WithoutWebSocketCompression())
                .build();
    }

    /**
     * OkHttp offers permessage-deflate on every WebSocket; a server that accepts it (the sandbox's does) makes each
     * exec stdin frame of a restore go through Deflater: 35-40 MB/s instead of 150-170 (make bench-exec). The
     * dump streams are large and mostly incompressible after our own compression, so the offer is withdrawn.
     */
    static final class WithoutWebSocketCompression extends OkHttpClientFactory {
        @Override
        protected void additionalConfig(OkHttpClient.Builder builder) {
            builder.addInterceptor(chain -> chain.proceed(chain.request().newBuilder()
                    .removeHeader("Sec-WebSocket-Extensions").build()));
        }
    }
}
