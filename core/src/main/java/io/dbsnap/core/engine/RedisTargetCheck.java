package io.dbsnap.core.engine;

import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a Redis target must be to take a snapshot, and what it must hold after one: plain rules, tested alone. */
final class RedisTargetCheck {

    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

    private RedisTargetCheck() {
    }

    /** The newest RDB format a server of this version reads (RESTORE payloads carry the format). */
    static int newestRdbFormat(String redisVersion) {
        Matcher v = VERSION.matcher(redisVersion);
        if (!v.find()) {
            return -1;
        }
        int version = Integer.parseInt(v.group(1)) * 100 + Integer.parseInt(v.group(2));
        if (version >= 704) {
            return 12;
        } else if (version >= 702) {
            return 11;
        } else if (version >= 700) {
            return 10;
        } else if (version >= 500) {
            return 9;
        } else if (version >= 400) {
            return 8;
        }
        return 7;
    }

    /** Why the target cannot take the snapshot, or null when it can. */
    static String refusal(RdbReplay.Summary summary, String version, String maxmemory, String policy, String select) {
        int newest = newestRdbFormat(version);
        if (newest < 0) {
            return "its version could not be read (INFO server said '" + version + "')";
        }
        if (summary.version() > newest) {
            return "the snapshot is RDB format " + summary.version() + " and Redis " + version + " reads formats up to "
                    + newest + ": restore it into a server of the snapshot's Redis version or newer";
        }
        if (!select.strip().equals("OK")) {
            return "the snapshot holds database " + summary.highestDb() + " and the server has no such database ("
                    + select.strip() + "): raise its 'databases' setting";
        }
        // volatile-* policies evict only keys with a TTL, and after FLUSHALL only the snapshot's can have one
        boolean couldEvict = !policy.startsWith("volatile-") || summary.hasKeysWithTtl();
        if (!maxmemory.isEmpty() && !maxmemory.equals("0") && !policy.equals("noeviction") && couldEvict) {
            return "it has maxmemory " + maxmemory + " with eviction policy " + policy + ", which could evict restored "
                    + "keys while the restore runs: set maxmemory-policy noeviction (or maxmemory 0) for the restore";
        }
        return null;
    }

    /**
     * Why the databases after the replay do not hold what the snapshot held, or null when they do: each
     * holds as many keys as the snapshot gave it, less at most those whose expiry has come by {@code countedAtMs}.
     */
    static String keyMismatch(RdbReplay.Summary summary, Map<Integer, Long> actual, long countedAtMs) {
        TreeSet<Integer> dbs = new TreeSet<>(summary.keysPerDb().keySet());
        dbs.addAll(actual.keySet());
        StringBuilder problems = new StringBuilder();
        for (int db : dbs) {
            long want = summary.keysPerDb().getOrDefault(db, 0L);
            long mayExpire = summary.expiredBy(db, countedAtMs);
            long have = actual.getOrDefault(db, 0L);
            if (have > want || have < want - mayExpire) {
                problems.append(problems.length() == 0 ? "" : ", ").append("db ").append(db).append(" holds ")
                        .append(have).append(" keys, the snapshot ").append(want);
            }
        }
        return problems.length() == 0 ? null : problems.toString();
    }
}
