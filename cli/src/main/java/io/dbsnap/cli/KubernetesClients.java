package io.dbsnap.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;

/**
 * The one way the command line and the agent open a Kubernetes client (kubeconfig or in-cluster, as fabric8
 * finds it), over fabric8's Vert.x HTTP client. A restore's dump goes to the database pod as exec stdin,
 * and the client masks every byte it sends (RFC 6455): Netty does it a word at a time, OkHttp a byte at a
 * time with a division each (8 CPU-seconds for an 860 MB dump, most of the agent's time); the JDK client
 * refuses a send while the last is in flight ("could not send"). Vert.x offers no permessage-deflate.
 */
public final class KubernetesClients {

    private KubernetesClients() {
    }

    public static KubernetesClient open() {
        return new KubernetesClientBuilder().withHttpClientFactory(new VertxHttpClientFactory()).build();
    }

    static KubernetesClient open(Config config) {
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new VertxHttpClientFactory())
                .build();
    }
}
