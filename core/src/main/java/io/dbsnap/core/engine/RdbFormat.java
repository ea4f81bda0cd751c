package io.dbsnap.core.engine;

import io.dbsnap.core.DbsnapException;

/** The RDB header: {@code REDIS} and a four-digit format version. */
final class RdbFormat {

    /** The newest RDB format the restore's parser (redis-replicator 3.8.1) reads: Redis 7.0 to 7.2. */
    static final int NEWEST_READABLE = 11;

    private RdbFormat() {
    }

    /** The four version digits of an RDB's header, e.g. {@code 0010}; fails on anything that is not an RDB. */
    static String version(DumpEnds ends) {
        byte[] head = ends.head();
        if (!ends.headStartsWith("REDIS") || head.length < 9) {
            throw new DbsnapException("what redis-cli --rdb wrote is not an RDB file (no REDIS header); "
                    + "nothing was stored");
        }
        String version = new String(head, 5, 4, java.nio.charset.StandardCharsets.US_ASCII);
        if (!version.matches("\\d{4}")) {
            throw new DbsnapException("the RDB header has no format version; nothing was stored");
        }
        return version;
    }
}
