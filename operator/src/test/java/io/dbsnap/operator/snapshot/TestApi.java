package io.dbsnap.operator.snapshot;

import io.dbsnap.sandbox.SandboxApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The sandbox's API server as the operator's unit tests use it: the CRDs applied, namespace prod, its S3 Secret s3-creds. */
public final class TestApi implements AutoCloseable {

    public static final String NS = "prod";

    private final SandboxApiServer server = new SandboxApiServer().start(0);
    public final KubernetesClient client = server.client();

    public TestApi() throws IOException {
        for (String name : java.util.List.of("databasesnapshots.dbsnap.io.yaml", "snapshotrestores.dbsnap.io.yaml",
                "snapshotschedules.dbsnap.io.yaml")) {
            Path crd = Path.of("").toAbsolutePath().getParent().resolve("crds").resolve(name);
            client.resource(client.getKubernetesSerialization().unmarshal(Files.readString(crd),
                    CustomResourceDefinition.class)).create();
        }
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        client.resource(new SecretBuilder().withNewMetadata().withName("s3-creds").withNamespace(NS).endMetadata()
                .withStringData(Map.of("AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s")).build()).create();
    }

    @Override
    public void close() {
        server.close();
    }

    /** A resource of namespace {@value #NS} by name, or null. */
    public <T extends io.fabric8.kubernetes.api.model.HasMetadata> T get(Class<T> type, String name) {
        return client.resources(type).inNamespace(NS).withName(name).get();
    }
}
