package io.dbsnap.core.store;

import java.util.HashMap;
import java.util.Map;

/**
 * The settings of each kind of store, by type ({@link S3Settings}, ...): a caller fills in what it
 * knows, and each {@link StoreProvider} takes its own, or its defaults when none was given.
 */
public final class StoreSettings {

    private final Map<Class<?>, Object> byType;

    private StoreSettings(Map<Class<?>, Object> byType) {
        this.byType = Map.copyOf(byType);
    }

    public static StoreSettings none() {
        return new StoreSettings(Map.of());
    }

    public static StoreSettings of(Object settings) {
        return none().with(settings);
    }

    public StoreSettings with(Object settings) {
        Map<Class<?>, Object> next = new HashMap<>(byType);
        next.put(settings.getClass(), settings);
        return new StoreSettings(next);
    }

    public <T> T get(Class<T> type, T fallback) {
        return type.isInstance(byType.get(type)) ? type.cast(byType.get(type)) : fallback;
    }
}
