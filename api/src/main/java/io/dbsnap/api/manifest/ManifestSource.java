package io.dbsnap.api.manifest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Where a snapshot was taken from. {@code namespace} and {@code name} form the storage path
 * ({@code <namespace>/<name>/}), a readable folder name that may lose detail (case, characters,
 * length); the other fields say exactly which database it was: {@code pod} and {@code container} for
 * snapshots taken in a cluster, {@code host} and {@code port} for snapshots taken from a database
 * URL, and the {@code database} (or a SQLite file's path). Never holds a credential.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"namespace", "name", "pod", "container", "host", "port", "database"})
public record ManifestSource(String namespace, String name, String pod, String container, String host, Integer port,
                             String database) {

    /** A source taken from a database URL. */
    public static ManifestSource local(String name, String host, int port, String database) {
        return new ManifestSource(LOCAL, name, null, null, host, port, database);
    }

    /** The same database under another folder name. */
    public ManifestSource withName(String otherName) {
        return new ManifestSource(namespace, otherName, pod, container, host, port, database);
    }

    /** The namespace of sources taken from a database URL rather than in a cluster. */
    public static final String LOCAL = "local";

    /**
     * Exactly which database: two sources are the same source only when this is equal. From a URL,
     * that is host, port and database (the folder name is only a rendering of them). In a cluster,
     * namespace, pod or workload (the folder name: a selector may pick another pod of the same
     * workload next time, and it is still the same database) and database or file. The container
     * is left out, so that manifests written before it was recorded still match.
     * {@code defaultPort}: the engine's, for manifests written before the port was recorded.
     */
    public String identity(int defaultPort) {
        boolean fromUrl = LOCAL.equals(namespace);
        Integer effectivePort = host == null ? port : port == null ? Integer.valueOf(defaultPort) : port;
        return Arrays.stream(new Object[]{namespace, fromUrl ? null : name, host, effectivePort, database})
                .map(v -> v == null ? "-" : "'" + v.toString().replace("'", "''") + "'")
                .collect(Collectors.joining(" "));
    }

    /** For messages: {@code prod pod orders-db-0/postgres database 'Orders'}. */
    @JsonIgnore
    public String describe() {
        StringBuilder text = new StringBuilder(namespace);
        if (pod != null) {
            text.append(" pod ").append(pod).append(container == null ? "" : "/" + container);
        }
        if (host != null) {
            text.append(" ").append(host).append(port == null ? "" : ":" + port);
        }
        text.append(database == null ? " (every database)" : " '" + database + "'");
        return text.toString();
    }

}
