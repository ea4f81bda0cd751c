package io.dbsnap.core.testing;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A Redis server full of what an RDB must carry: over 100,000 keys of every common type in two
 * databases, binary keys and values, and keys with TTLs; and a fingerprint compared key by key.
 */
public final class RedisSampleData {

    public static final int STRINGS = 100_000;

    private RedisSampleData() {
    }

    public static Jedis connect(RedisServer server) {
        Jedis jedis = new Jedis("127.0.0.1", server.port());
        jedis.auth(server.password());
        return jedis;
    }

    public static void load(RedisServer server) {
        try (Jedis jedis = connect(server)) {
            Pipeline p = jedis.pipelined();
            for (int i = 0; i < STRINGS; i++) {
                p.set("str:" + i, "value " + i + (i % 100 == 0 ? " 🦀 ünïcödé" : ""));
            }
            for (int i = 0; i < 2_000; i++) {
                p.hset("hash:" + i, Map.of("name", "user " + i, "visits", Integer.toString(i), "bin",
                        new String(new byte[]{(byte) i, 0, 10}, StandardCharsets.ISO_8859_1)));
                p.rpush("list:" + i, "a", "b", Integer.toString(i), "a");
                p.sadd("set:" + i, "x", "y", "member " + i);
                p.zadd("zset:" + i, Map.of("one", 1.0, "pi", 3.14159, "neg", -i * 0.5));
            }
            List<String> big = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                big.add("element " + i);
            }
            p.rpush("list:big", big.toArray(String[]::new));
            p.set(new byte[]{0, (byte) 0xff, 13, 10, 'k'}, new byte[]{(byte) 0x80, 0, 1, 2, (byte) 0xfe});
            p.set("int:42", "42");
            for (int i = 0; i < 500; i++) {
                p.setex("ttl:" + i, 3_600 + i, "expiring " + i);
            }
            p.hset("ttl:hash", "f", "v");
            p.pexpire("ttl:hash", 7_200_000);
            p.xadd("stream:events", redis.clients.jedis.StreamEntryID.NEW_ENTRY, Map.of("type", "created", "id", "1"));
            p.select(1);
            for (int i = 0; i < 1_000; i++) {
                p.set("db1:" + i, "other database " + i);
            }
            p.select(0);
            p.sync();
        }
    }

    /** Every key of every database, as {@code db key-hex -> type value [expires at, in ms]}. */
    public static Map<String, String> fingerprint(RedisServer server) {
        Map<String, String> print = new TreeMap<>();
        try (Jedis jedis = connect(server)) {
            for (int db = 0; db < 16; db++) {
                jedis.select(db);
                String cursor = ScanParams.SCAN_POINTER_START;
                do {
                    ScanResult<byte[]> page = jedis.scan(cursor.getBytes(StandardCharsets.UTF_8),
                            new ScanParams().count(5_000));
                    describe(jedis, db, page.getResult(), print);
                    cursor = page.getCursor();
                } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            }
        }
        return print;
    }

    /** One page of keys, in two pipelined round trips: their types, then their values and TTLs. */
    private static void describe(Jedis jedis, int db, List<byte[]> keys, Map<String, String> print) {
        Pipeline types = jedis.pipelined();
        List<Response<String>> typeOf = keys.stream().map(types::type).toList();
        types.sync();
        Pipeline values = jedis.pipelined();
        List<Supplier<String>> valueOf = new ArrayList<>();
        List<Response<Long>> expiryOf = new ArrayList<>();
        // the encoding an RDB keeps (listpack, intset, ...): a restore that rebuilds values differently shows
        List<Response<byte[]>> encodingOf = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            byte[] key = keys.get(i);
            valueOf.add(switch (typeOf.get(i).get()) {
                case "string" -> map(values.get(key), RedisSampleData::hex);
                case "hash" -> map(values.hgetAll(key), m -> hexMap(m).toString());
                case "list" -> map(values.lrange(key, 0, -1), l -> l.stream().map(RedisSampleData::hex).toList().toString());
                case "set" -> map(values.smembers(key), m -> m.stream().map(RedisSampleData::hex).sorted().toList().toString());
                case "zset" -> map(values.zrangeWithScores(key, 0, -1), l -> l.stream()
                        .map((Tuple t) -> hex(t.getBinaryElement()) + "=" + t.getScore()).toList().toString());
                case "stream" -> map(values.xrange(new String(key, StandardCharsets.UTF_8), "-", "+"), Object::toString);
                default -> throw new IllegalStateException("unexpected type " + typeOf.get(i).get());
            });
            expiryOf.add(values.pexpireTime(key));
            encodingOf.add(values.objectEncoding(key));
        }
        values.sync();
        for (int i = 0; i < keys.size(); i++) {
            // the absolute expiry in milliseconds (PEXPIRETIME, Redis 7): an RDB and RESTORE ... ABSTTL keep it
            // exactly, and it does not move with the time the comparison runs, as a TTL would
            long expiresAt = expiryOf.get(i).get();
            String expiry = expiresAt < 0 ? "" : " expires@" + expiresAt;
            print.put(db + " " + hex(keys.get(i)), typeOf.get(i).get() + "/"
                    + new String(encodingOf.get(i).get(), StandardCharsets.UTF_8) + " " + valueOf.get(i).get() + expiry);
        }
    }

    /** A pipelined reply turned into its description once the pipeline has run. */
    private static <T> Supplier<String> map(Response<T> reply, Function<T, String> describe) {
        return () -> describe.apply(reply.get());
    }

    private static Map<String, String> hexMap(Map<byte[], byte[]> map) {
        Map<String, String> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(hex(k), hex(v)));
        return out;
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
