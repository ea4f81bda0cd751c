package io.dbsnap.operator.common;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Kubernetes Events on a resource (kubectl describe shows them), one object per distinct event that
 * counts its repeats; an Event that cannot be written is only logged.
 */
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
        String name = name(resource, type, reason, message);
        var events = client.v1().events().inNamespace(namespace);
        try {
            Event seen = events.withName(name).get();
            if (seen != null) {
                repeated(client, seen, now);
                return;
            }
            try {
                events.resource(new EventBuilder()
                        .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                        .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(resource.getApiVersion())
                                .withKind(resource.getKind()).withName(resource.getMetadata().getName())
                                .withNamespace(namespace).withUid(resource.getMetadata().getUid()).build())
                        .withType(type).withReason(reason).withMessage(message)
                        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                        .withNewSource().withComponent(COMPONENT).endSource()
                        .withReportingComponent(COMPONENT)
                        .build()).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                // recorded meanwhile by another reconcile: this one is a repeat
                repeated(client, events.withName(name).get(), now);
            }
        } catch (KubernetesClientException e) {
            LOG.warnf("could not record event %s on %s/%s: %s", reason, namespace, resource.getMetadata().getName(),
                    e.getMessage());
        }
    }

    private static void repeated(KubernetesClient client, Event seen, String now) {
        if (seen == null) {
            return;
        }
        seen.setCount(seen.getCount() == null ? 2 : seen.getCount() + 1);
        seen.setLastTimestamp(now);
        client.resource(seen).update();
    }

    /**
     * One Event object per resource, type, reason and message, as kubectl describe shows them
     * ("x4 over 2m"): a retry that says the same again counts, it does not add an object.
     */
    static String name(HasMetadata resource, String type, String reason, String message) {
        String object = resource.getMetadata().getName();
        String cut = object.length() > 200 ? object.substring(0, 200) : object;
        return cut + "." + hash(resource.getMetadata().getUid() + "\n" + type + "\n" + reason + "\n" + message);
    }

    private static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
