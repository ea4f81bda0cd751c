package io.dbsnap.operator.common;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.UUID;

/** Kubernetes Events on a resource (kubectl describe shows them); an Event that cannot be written is only logged. */
public final class EventRecorder {

    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    private static final String COMPONENT = "dbsnap-operator";

    private EventRecorder() {
    }

    public static void normal(KubernetesClient client, HasMetadata resource, String reason, String message) {
        record(client, resource, "Normal", reason, message);
    }

    public static void warning(KubernetesClient client, HasMetadata resource, String reason, String message) {
        record(client, resource, "Warning", reason, message);
    }

    private static void record(KubernetesClient client, HasMetadata resource, String type, String reason, String message) {
        String now = Conditions.timestamp(Instant.now());
        String namespace = resource.getMetadata().getNamespace();
        try {
            client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                    .withNewMetadata().withNamespace(namespace)
                    .withName(resource.getMetadata().getName() + "." + UUID.randomUUID().toString().replace("-", "").substring(0, 16))
                    .endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(resource.getApiVersion())
                            .withKind(resource.getKind()).withName(resource.getMetadata().getName())
                            .withNamespace(namespace).withUid(resource.getMetadata().getUid()).build())
                    .withType(type).withReason(reason).withMessage(message)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .withNewSource().withComponent(COMPONENT).endSource()
                    .withReportingComponent(COMPONENT)
                    .build()).create();
        } catch (KubernetesClientException e) {
            LOG.warnf("could not record event %s on %s/%s: %s", reason, namespace, resource.getMetadata().getName(),
                    e.getMessage());
        }
    }
}
