package io.dbsnap.core.engine;

import com.moilioncircle.redis.replicator.Configuration;
import com.moilioncircle.redis.replicator.FileType;
import com.moilioncircle.redis.replicator.RedisReplicator;
import com.moilioncircle.redis.replicator.Replicator;
import com.moilioncircle.redis.replicator.event.PostRdbSyncEvent;
import com.moilioncircle.redis.replicator.rdb.dump.DumpRdbVisitor;
import com.moilioncircle.redis.replicator.rdb.dump.datatype.DumpFunction;
import com.moilioncircle.redis.replicator.rdb.dump.datatype.DumpKeyValuePair;
import io.dbsnap.core.DbsnapException;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * An RDB file as the Redis commands that rebuild it, in the wire protocol {@code redis-cli --pipe}
 * sends: {@code FLUSHALL}, then per key {@code SELECT db} (when it changes) and
 * {@code RESTORE key ttl payload REPLACE ABSTTL}, whose payload is the key's own serialized value
 * (parsed by redis-replicator), so every type and encoding comes back as it was. One key at a time is
 * held in memory.
 */
final class RdbReplay {

    /**
     * How many keys lie in each database, and when those with a TTL expire (sorted), so that the keys
     * that expired on their own by the time the restore is checked can be told from lost ones.
     */
    record Summary(int version, Map<Integer, Long> keysPerDb, Map<Integer, long[]> expiriesPerDb, long functions) {

        int highestDb() {
            return keysPerDb.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
        }

        boolean hasKeysWithTtl() {
            return expiriesPerDb.values().stream().anyMatch(e -> e.length > 0);
        }

        /** Keys of {@code db} whose expiry lies at or before {@code atMs}. */
        long expiredBy(int db, long atMs) {
            long[] expiries = expiriesPerDb.getOrDefault(db, new long[0]);
            int i = java.util.Arrays.binarySearch(expiries, atMs);
            int upTo = i >= 0 ? i + 1 : -i - 1;
            while (i >= 0 && upTo < expiries.length && expiries[upTo] == atMs) {
                upTo++;
            }
            return upTo;
        }
    }

    /** Keys whose expiry is this close to the count are allowed to be gone: clocks and the count itself take time. */
    static final long EXPIRY_SLACK_MS = 5_000;

    private final Path rdb;
    private long commands;

    RdbReplay(Path rdb) {
        this.rdb = rdb;
    }

    /**
     * Reads the whole RDB once without sending anything: a file the parser cannot read, or one that
     * ends before its end marker, fails here, before the target is touched.
     */
    Summary summarize() {
        Map<Integer, Long> keys = new TreeMap<>();
        Map<Integer, java.util.List<Long>> expiries = new TreeMap<>();
        long[] functions = {0};
        try {
            parse(pair -> {
                int db = (int) pair.getDb().getDbNumber();
                keys.merge(db, 1L, Long::sum);
                if (pair.getExpiredMs() != null) {
                    expiries.computeIfAbsent(db, k -> new java.util.ArrayList<>()).add(pair.getExpiredMs());
                }
            }, function -> functions[0]++);
        } catch (IOException | RuntimeException e) {
            throw new DbsnapException("cannot read the snapshot's RDB (" + e.getMessage() + "); nothing was sent to "
                    + "the server", e);
        }
        Map<Integer, long[]> sorted = new TreeMap<>();
        expiries.forEach((db, list) -> sorted.put(db, list.stream().mapToLong(Long::longValue).sorted().toArray()));
        return new Summary(version(), keys, sorted, functions[0]);
    }

    /** Writes the commands; {@link #commands()} then says how many replies to expect. */
    void writeTo(OutputStream sink) throws IOException {
        commands = 0;
        OutputStream out = new BufferedOutputStream(sink, 256 * 1024);
        write(out, bytes("FLUSHALL"));
        int[] db = {-1};
        parse(pair -> {
            try {
                int number = (int) pair.getDb().getDbNumber();
                if (number != db[0]) {
                    write(out, bytes("SELECT"), bytes(Integer.toString(number)));
                    db[0] = number;
                }
                Long expiresAt = pair.getExpiredMs();
                write(out, bytes("RESTORE"), pair.getKey(), bytes(expiresAt == null ? "0" : expiresAt.toString()),
                        pair.getValue(), bytes("REPLACE"), bytes("ABSTTL"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, function -> {
            try {
                write(out, bytes("FUNCTION"), bytes("RESTORE"), function.getSerialized(), bytes("REPLACE"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        out.flush();
    }

    private void parse(Consumer<DumpKeyValuePair> onKey, Consumer<DumpFunction> onFunction) throws IOException {
        boolean[] complete = {false};
        Replicator replicator = new RedisReplicator(rdb.toFile(), FileType.RDB, Configuration.defaultSetting());
        replicator.setRdbVisitor(new DumpRdbVisitor(replicator));
        replicator.addEventListener((r, event) -> {
            if (event instanceof DumpKeyValuePair pair) {
                onKey.accept(pair);
            } else if (event instanceof PostRdbSyncEvent) {
                complete[0] = true;
            } else if (event instanceof DumpFunction function) {
                onFunction.accept(function);
            }
        });
        try {
            replicator.open();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            replicator.close();
        }
        if (!complete[0]) {
            // the parser stops quietly at a cut file; a replay of part of it is no restore
            throw new IOException("the RDB file " + rdb.getFileName() + " ends before its end marker");
        }
    }

    private int version() {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(rdb)) {
            byte[] head = in.readNBytes(9);
            return Integer.parseInt(RdbFormat.version(new DumpEnds(head, new byte[0], head.length)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long commands() {
        return commands;
    }

    private void write(OutputStream out, byte[]... args) throws IOException {
        out.write(bytes("*" + args.length + "\r\n"));
        for (byte[] arg : args) {
            out.write(bytes("$" + arg.length + "\r\n"));
            out.write(arg);
            out.write('\r');
            out.write('\n');
        }
        commands++;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
