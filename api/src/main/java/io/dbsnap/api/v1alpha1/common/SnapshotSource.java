package io.dbsnap.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import lombok.Data;

/** The database to snapshot: the pod it runs in and how to reach it there. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Data
@io.fabric8.generator.annotation.ValidationRule(value = "!has(self.engine) || self.engine != '" + SnapshotSource.FILE_ENGINE
        + "' || has(self.path)", message = "a " + SnapshotSource.FILE_ENGINE + " source needs path, the database file in the pod")
public class SnapshotSource {

    /** The engine whose database is a file, named by {@code path}; EnginesTest checks the registry agrees. */
    public static final String FILE_ENGINE = "sqlite";

    /**
     * The engines a spec may name: the CRD's pattern and the operator's check. Core's engine registry
     * must hold exactly these (EnginesTest keeps the two in step).
     */
    public static final String ENGINE_PATTERN = "^(postgresql|mysql|mariadb|redis|sqlite)$";

    /** {@link #ENGINE_PATTERN}'s names, sorted, comma-separated, for messages. */
    public static String engineNames() {
        return java.util.Arrays.stream(ENGINE_PATTERN.replaceAll("[\\^$()]", "").split("\\|")).sorted()
                .collect(java.util.stream.Collectors.joining(", "));
    }

    @io.fabric8.generator.annotation.Pattern(ENGINE_PATTERN)
    @JsonPropertyDescription("Database engine; optional where the pod's image tells. One of postgresql, mysql, mariadb, redis, sqlite.")
    private String engine;

    @io.fabric8.generator.annotation.Required
    @JsonPropertyDescription("The pod the database runs in.")
    private PodReference pod;

    @JsonPropertyDescription("Database to dump (default: from the pod's environment, e.g. POSTGRES_DB).")
    private String database;

    @JsonPropertyDescription("Database credentials overriding those in the pod's environment.")
    private SecretKeys credentialsSecret;

    @JsonPropertyDescription("Path of the database file in the pod (sqlite).")
    private String path;

    @JsonPropertyDescription("sqlite: where the container has no sqlite3, copy the file as it is (a write during the "
            + "copy can tear it, and transactions still in the -wal file are left out). Default false: such a "
            + "snapshot fails and says so.")
    private Boolean allowPlainCopy;
}
