package io.dbsnap.api.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Where a snapshot was taken from. {@code namespace} and {@code name} form the storage path
 * ({@code <namespace>/<name>/}); {@code pod} is set for snapshots taken in a cluster, {@code host}
 * for snapshots taken from a database URL. Never holds a credential.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"namespace", "name", "pod", "host", "database"})
public record ManifestSource(String namespace, String name, String pod, String host, String database) {
}
