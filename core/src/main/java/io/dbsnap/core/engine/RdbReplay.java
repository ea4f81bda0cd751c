package io.dbsnap.core.engine;

import com.moilioncircle.redis.replicator.Configuration;
import com.moilioncircle.redis.replicator.FileType;
import com.moilioncircle.redis.replicator.RedisReplicator;
import com.moilioncircle.redis.replicator.Replicator;
import com.moilioncircle.redis.replicator.event.PostRdbSyncEvent;
import com.moilioncircle.redis.replicator.rdb.dump.DumpRdbVisitor;
import com.moilioncircle.redis.replicator.rdb.dump.datatype.DumpFunction;
import com.moilioncircle.redis.replicator.rdb.dump.datatype.DumpKeyValuePair;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * An RDB file as the Redis commands that rebuild it, in the wire protocol {@code redis-cli --pipe}
 * sends: {@code FLUSHALL}, then per key {@code SELECT db} (when it changes) and
 * {@code RESTORE key ttl payload REPLACE ABSTTL}, whose payload is the key's own serialized value
 * (parsed by redis-replicator), so every type and encoding comes back as it was. One key at a time is
 * held in memory.
 */
final class RdbReplay {

    private final Path rdb;
    private long commands;

    RdbReplay(Path rdb) {
        this.rdb = rdb;
    }

    /** Writes the commands; {@link #commands()} then says how many replies to expect. */
    void writeTo(OutputStream sink) throws IOException {
        commands = 0;
        OutputStream out = new BufferedOutputStream(sink, 256 * 1024);
        write(out, bytes("FLUSHALL"));
        int[] db = {-1};
        boolean[] complete = {false};
        Replicator replicator = new RedisReplicator(rdb.toFile(), FileType.RDB, Configuration.defaultSetting());
        replicator.setRdbVisitor(new DumpRdbVisitor(replicator));
        replicator.addEventListener((r, event) -> {
            try {
                if (event instanceof DumpKeyValuePair pair) {
                    int number = (int) pair.getDb().getDbNumber();
                    if (number != db[0]) {
                        write(out, bytes("SELECT"), bytes(Integer.toString(number)));
                        db[0] = number;
                    }
                    Long expiresAt = pair.getExpiredMs();
                    write(out, bytes("RESTORE"), pair.getKey(), bytes(expiresAt == null ? "0" : expiresAt.toString()),
                            pair.getValue(), bytes("REPLACE"), bytes("ABSTTL"));
                } else if (event instanceof PostRdbSyncEvent) {
                    complete[0] = true;
                } else if (event instanceof DumpFunction function) {
                    write(out, bytes("FUNCTION"), bytes("RESTORE"), function.getSerialized(), bytes("REPLACE"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
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
        out.flush();
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
