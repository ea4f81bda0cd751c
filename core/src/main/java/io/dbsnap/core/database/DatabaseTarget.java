package io.dbsnap.core.database;

import java.util.Map;
import java.util.Optional;

/**
 * A database named by a URL ({@code postgresql://user:pass@host:port/db?sslmode=require}). The
 * password is kept apart and never printed: {@link #toString()} is the redacted URL.
 */
public record DatabaseTarget(String scheme, String user, String password, String host, Integer port,
                             String database, Map<String, String> params, String redacted) {

    /** A file engine's parameter: copy the file as it is where the pod has no tool for a consistent copy. */
    public static final String ALLOW_PLAIN_COPY = "allowPlainCopy";

    public DatabaseTarget {
        params = Map.copyOf(params);
    }

    public Optional<String> passwordIfAny() {
        return Optional.ofNullable(password).filter(p -> !p.isEmpty());
    }

    @Override
    public String toString() {
        return redacted;
    }
}
