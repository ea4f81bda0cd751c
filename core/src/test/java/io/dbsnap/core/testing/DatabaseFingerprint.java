package io.dbsnap.core.testing;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one database holds, as comparable text, whatever its engine: two equal fingerprints mean the
 * same data and objects. Round trips, pre-restore snapshots and (later) restores and schedules
 * compare databases through this one interface.
 */
@FunctionalInterface
public interface DatabaseFingerprint {

    Map<String, String> take() throws Exception;

    /** Tables, sequences, views, functions, constraints, indexes and the whole schema ({@link PgFingerprint}). */
    static DatabaseFingerprint postgres(PostgresServer server, String database) {
        return () -> PgFingerprint.of(server, database);
    }

    /** Tables with their columns and rows, indexes, keys, views, triggers, routines, events. */
    static DatabaseFingerprint mariadb(MariaDbServer server, String database) {
        return () -> MariaDbSampleData.fingerprint(server, database);
    }

    /** Every key of every database: type, encoding, value and absolute expiry. */
    static DatabaseFingerprint redis(RedisServer server) {
        return () -> RedisSampleData.fingerprint(server);
    }

    /** The schema and every row, as {@code .dump} writes them. */
    static DatabaseFingerprint sqlite(Path file) {
        return () -> new TreeMap<>(Map.of("dump", SqliteDatabase.dump(file)));
    }
}
