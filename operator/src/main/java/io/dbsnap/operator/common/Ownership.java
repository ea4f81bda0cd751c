package io.dbsnap.operator.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Who controls an object. The operator acts on, and believes, only objects whose controller
 * reference carries the uid of the resource they serve: a Job or Role someone else made under the
 * same name is never used, changed or deleted.
 */
public final class Ownership {

    private Ownership() {
    }

    /** A controller reference to {@code owner}; Kubernetes deletes the object with it. */
    public static OwnerReference controller(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    public static boolean isControlledBy(HasMetadata object, String ownerUid) {
        return ownerUid != null && controllers(object).anyMatch(o -> ownerUid.equals(o.getUid()));
    }

    /** The object's controller references (Kubernetes allows one; a made-up object may carry more). */
    public static Stream<OwnerReference> controllers(HasMetadata object) {
        return Optional.ofNullable(object.getMetadata().getOwnerReferences()).stream().flatMap(List::stream)
                .filter(o -> Boolean.TRUE.equals(o.getController()));
    }
}
