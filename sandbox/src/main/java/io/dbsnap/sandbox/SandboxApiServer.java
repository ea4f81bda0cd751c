package io.dbsnap.sandbox;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

/**
 * An in-process Kubernetes API (fabric8's mock server in CRUD mode) that the operator, the Job's
 * agent and the real kubectl can all talk to. It runs no controllers: {@link JobRunner} plays the
 * kubelet's part for Jobs.
 */
public final class SandboxApiServer implements AutoCloseable {

    private final SandboxDispatcher dispatcher = new SandboxDispatcher();
    private final KubernetesMockServer server;

    public SandboxApiServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    }

    /** Starts on a loopback port (0 picks a free one). */
    public SandboxApiServer start(int port) {
        try {
            server.init(InetAddress.getLoopbackAddress(), port);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start the sandbox API server on port " + port + ": " + e.getMessage(), e);
        }
        dispatcher.serverAddress("127.0.0.1:" + server.getPort());
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    public KubernetesClient client() {
        return server.createClient();
    }

    /** The next execs misbehave this way (until set back to {@link ExecFault#NONE}). */
    public void execFault(ExecFault fault) {
        dispatcher.execFault(fault);
    }

    /**
     * A bearer token for {@code namespace/serviceAccount}: requests that carry it are decided by RBAC over
     * the Roles, ClusterRoles and bindings stored here, as a cluster decides them. Requests without a
     * token are the administrator's.
     */
    public String token(String namespace, String serviceAccount) {
        return dispatcher.token(namespace, serviceAccount);
    }

    /** Requests served so far, by client (the User-Agent's name: fabric8-kubernetes-client, kubectl, ...). */
    public java.util.SortedMap<String, Long> served() {
        return dispatcher.served();
    }

    /** Every "GROUP RESOURCE VERB" that RBAC allowed {@code namespace/serviceAccount} so far. */
    public java.util.SortedSet<String> allowed(String namespace, String serviceAccount) {
        return dispatcher.rbac().used(namespace + "/" + serviceAccount);
    }

    /** What RBAC refused {@code namespace/serviceAccount} so far, in the API server's words. */
    public java.util.List<String> denied(String namespace, String serviceAccount) {
        return dispatcher.rbac().denied(namespace + "/" + serviceAccount);
    }

    /** A kubeconfig for kubectl: {@code KUBECONFIG=FILE kubectl get dbsnap}. */
    public Path writeKubeconfig(Path file, String namespace) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: sandbox
                  cluster:
                    server: %s
                contexts:
                - name: sandbox
                  context:
                    cluster: sandbox
                    user: sandbox
                    namespace: %s
                current-context: sandbox
                users:
                - name: sandbox
                  user:
                    token: sandbox
                """.formatted(url(), namespace));
        return file;
    }

    @Override
    public void close() {
        server.destroy();
    }
}
