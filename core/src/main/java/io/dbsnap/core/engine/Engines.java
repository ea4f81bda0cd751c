package io.dbsnap.core.engine;

import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.database.DatabaseTarget;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The engines dbsnap knows, found by URL scheme or by name. */
public final class Engines {

    private static final List<Engine> ALL = List.of(new PostgresEngine(), MySqlEngine.mysql(), MySqlEngine.mariadb(),
            new RedisEngine(), new SqliteEngine());

    private Engines() {
    }

    public static Engine forScheme(String scheme) {
        String wanted = scheme.toLowerCase(Locale.ROOT);
        return ALL.stream().filter(e -> e.schemes().contains(wanted)).findFirst()
                .orElseThrow(() -> new DbsnapException("unknown scheme '" + scheme + "://': dbsnap knows "
                        + ALL.stream().flatMap(e -> e.schemes().stream()).sorted()
                        .map(s -> s + "://").collect(Collectors.joining(", "))));
    }

    /** The engine by the name manifests and resources use, e.g. {@code postgresql}. */
    public static Engine forName(String name) {
        return find(name).orElseThrow(() -> new DbsnapException("unknown engine '" + name + "': dbsnap knows " + names()));
    }

    public static java.util.Optional<Engine> find(String name) {
        return ALL.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** The engine a container image runs ({@code docker.io/bitnami/postgresql:16}), if its name tells. */
    public static java.util.Optional<Engine> forImage(String image) {
        String repository = image;
        int digest = repository.indexOf('@');
        if (digest >= 0) {
            repository = repository.substring(0, digest);
        }
        int slash = repository.lastIndexOf('/');
        int colon = repository.lastIndexOf(':');
        if (colon > slash) {
            repository = repository.substring(0, colon);
        }
        String name = repository.substring(slash + 1).toLowerCase(Locale.ROOT);
        return ALL.stream().filter(e -> e.imageNames().contains(name)).findFirst();
    }

    public static String names() {
        return ALL.stream().map(Engine::name).sorted().collect(Collectors.joining(", "));
    }

    /** The engine for a target's scheme, once it has checked the target has what it needs. */
    public static Engine forTarget(DatabaseTarget target) {
        Engine engine = forScheme(target.scheme());
        engine.validate(target);
        return engine;
    }
}
