package io.dbsnap.core.engine;

import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.target.DatabaseTarget;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The engines dbsnap knows, found by URL scheme or by name. */
public final class Engines {

    private static final List<Engine> ALL = List.of(new PostgresEngine());

    private Engines() {
    }

    public static Engine forScheme(String scheme) {
        String wanted = scheme.toLowerCase(Locale.ROOT);
        return ALL.stream().filter(e -> e.schemes().contains(wanted)).findFirst()
                .orElseThrow(() -> new DbsnapException("unknown scheme '" + scheme + "://': dbsnap knows "
                        + ALL.stream().flatMap(e -> e.schemes().stream()).sorted()
                        .map(s -> s + "://").collect(Collectors.joining(", "))));
    }

    /** The engine for a target's scheme, once it has checked the target has what it needs. */
    public static Engine forTarget(DatabaseTarget target) {
        Engine engine = forScheme(target.scheme());
        engine.validate(target);
        return engine;
    }
}
