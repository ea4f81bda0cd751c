package io.dbsnap.core.engine;

import io.dbsnap.api.manifest.ManifestSource;
import io.dbsnap.api.storage.SnapshotLayout;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.pipeline.DumpIncompleteException;
import io.dbsnap.core.process.Command;
import io.dbsnap.core.process.ProcessRunner;
import io.dbsnap.core.database.DatabaseTarget;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redis: {@code redis-cli --rdb} asks the server for an RDB as a replica would (the server forks and
 * saves a point-in-time image, without touching its own {@code dump.rdb}). Restore replays it: every
 * key of the snapshot is sent as {@code RESTORE ... REPLACE ABSTTL} through {@code redis-cli --pipe},
 * after a {@code FLUSHALL}, so the server never restarts and nothing else (AOF, replicas) is bypassed.
 * The password reaches redis-cli through {@code REDISCLI_AUTH}, never an argument.
 */
public final class RedisEngine implements Engine {

    /** {@code cli ARGS...}: redis-cli with the connection from the environment. */
    private static final String CLI_FUNCTION = """
            [ -n "${REDISCLI_AUTH:-}" ] || unset REDISCLI_AUTH
            cli() {
              set -- --no-auth-warning "$@"
              [ -z "${DBSNAP_REDIS_USER:-}" ] || set -- --user "$DBSNAP_REDIS_USER" "$@"
              [ -z "${DBSNAP_REDIS_PORT:-}" ] || set -- -p "$DBSNAP_REDIS_PORT" "$@"
              [ -z "${DBSNAP_REDIS_HOST:-}" ] || set -- -h "$DBSNAP_REDIS_HOST" "$@"
              redis-cli "$@"
            }
            """;

    private static final String VERSION_SCRIPT = "set -eu\n" + CLI_FUNCTION + """
            # redis-cli answers a refused AUTH on stderr and the NOAUTH reply on stdout, exiting 0: one line of both
            info=$(cli INFO server 2>&1) || { printf '%s' "$info" | tr '\\n' ' ' >&2; exit 1; }
            version=$(printf '%s\\n' "$info" | tr -d '\\r' | sed -n 's/^redis_version://p')
            [ -n "$version" ] || { printf '%s' "$info" | tr '\\n' ' ' >&2; exit 1; }
            echo "$version"
            """;

    /**
     * Straight to the pipe, no copy on the pod's disk, where redis-cli can: {@code --rdb -} writes to
     * stdout from 6.2 on, but some 6.2 releases were reported to fail on a pipe's fsync (redis#9135),
     * so it is used from 7.0 (valkey-cli, which says its own name, counts by its own version); an older
     * one writes a temporary file (before 6.2, {@code -} is a file name). What redis-cli adds after the
     * RDB, {@link #dumpTrailer} drops.
     */
    private static final String STREAM_IF_ABLE = """
            version=$(redis-cli --version 2>/dev/null) || version=
            major=${version#*-cli }
            major=${major%%.*}
            case "$major" in ''|*[!0-9]*) major=0;; esac
            if [ "$major" -ge 7 ]; then cli --rdb -; exit $?; fi
            """;

    private static final String PIPE_SCRIPT = "set -eu\n" + CLI_FUNCTION + "cli --pipe\n";

    /** What the restore must know of the target before it flushes it: version, memory policy, and database $1. */
    private static final String TARGET_SCRIPT = "set -eu\n" + CLI_FUNCTION + """
            echo "version=$(cli INFO server | tr -d '\\r' | sed -n 's/^redis_version://p')"
            memory=$(cli INFO memory | tr -d '\\r')
            echo "maxmemory=$(printf '%s\\n' "$memory" | sed -n 's/^maxmemory://p')"
            echo "policy=$(printf '%s\\n' "$memory" | sed -n 's/^maxmemory_policy://p')"
            echo "select=$(cli SELECT "$1" 2>&1 | tr -d '\\r' | tr '\\n' ' ')"
            """;

    private static final String KEYSPACE_SCRIPT = "set -eu\n" + CLI_FUNCTION + "cli INFO keyspace | tr -d '\\r'\n";
    private static final Pattern KEYSPACE_LINE = Pattern.compile("(?m)^db(\\d+):keys=(\\d+)");
    /** redis-cli's stderr after an RDB sent without a length, and after one sent with it (valkey-cli: "primary"). */
    private static final Pattern MARKED_TRANSFER = Pattern.compile("(?m)^Transfer finished with success after (\\d{1,18}) bytes$");
    private static final Pattern SIZED_TRANSFER = Pattern.compile("(?m)^SYNC sent to (?:master|primary), writing (\\d{1,18}) bytes to '.*'$");
    /** RDB_EOF_MARK_SIZE in Redis: the random end marker of a diskless transfer. */
    private static final int EOF_MARK_LENGTH = 40;
    private static final Pattern PIPE_SUMMARY = Pattern.compile("errors: (\\d+), replies: (\\d+)");

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public int defaultPort() {
        return 6379;
    }

    @Override
    public Set<String> schemes() {
        return Set.of("redis");
    }

    @Override
    public String dataFileName(DatabaseTarget target) {
        return "dump.rdb";
    }

    @Override
    public Set<String> imageNames() {
        return Set.of("redis", "redis-stack-server", "redis-stack");
    }

    @Override
    public Map<String, String> podEnvironmentDefaults() {
        // the Bitnami image names its port and password like this; the official one has neither
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("DBSNAP_REDIS_PORT", "${REDIS_PORT_NUMBER:-6379}");
        defaults.put("REDISCLI_AUTH", "${REDIS_PASSWORD:-}");
        return defaults;
    }

    @Override
    public void validate(DatabaseTarget target) {
        if (target.database() != null && !target.database().matches("\\d+")) {
            throw new DbsnapException("TARGET " + target + ": a Redis URL ends in the port or a database number; "
                    + "a snapshot holds every database of the server");
        }
        if (!target.params().isEmpty()) {
            throw new DbsnapException("TARGET " + target + " has parameters; redis:// takes none (TLS is not "
                    + "supported yet)");
        }
    }

    @Override
    public ManifestSource source(DatabaseTarget target) {
        String host = target.host() == null ? "localhost" : target.host();
        int port = target.port() == null ? 6379 : target.port();
        return ManifestSource.local(SnapshotLayout.sourceSegment(host + "-" + port), host, port, null);
    }

    @Override
    public String serverVersion(ProcessRunner runner, DatabaseTarget target) {
        return runner.run(script("redis-cli INFO", VERSION_SCRIPT, target), "connecting to " + target).strip();
    }

    @Override
    public Command dumpCommand(DatabaseTarget target) {
        return script("redis-cli --rdb", "set -eu\n" + CLI_FUNCTION + STREAM_IF_ABLE + FileCopy.dumpScript(
                "${TMPDIR:-/tmp}", "cli --rdb \"$tmp\" >&2"), target);
    }

    @Override
    public int dumpTrailerLimit() {
        return EOF_MARK_LENGTH;
    }

    /**
     * A server that sends its RDB without a length (diskless, the default since Redis 7.0) ends it with
     * 40 random hex characters; redis-cli writes them too when its output is a pipe, which it cannot
     * truncate, and says on stderr how long the RDB was. A server that sends a length gets exactly that.
     */
    @Override
    public int dumpTrailer(long streamed, byte[] held, String stderr) {
        Long marked = lastNumber(MARKED_TRANSFER, stderr);
        if (marked != null) {
            long rdb = marked;
            if (streamed == rdb) {
                return 0;
            }
            if (streamed == rdb + EOF_MARK_LENGTH && held.length == EOF_MARK_LENGTH
                    && new String(held, java.nio.charset.StandardCharsets.ISO_8859_1).matches("[0-9a-f]{40}")) {
                return EOF_MARK_LENGTH;
            }
            throw new DumpIncompleteException("redis-cli --rdb said the RDB had " + rdb + " bytes, but " + streamed
                    + " arrived, not ending in its end marker; nothing was stored");
        }
        Long sized = lastNumber(SIZED_TRANSFER, stderr);
        if (sized != null && stderr.contains("\nTransfer finished with success.")) {
            long rdb = sized;
            if (streamed == rdb) {
                return 0;
            }
            throw new DumpIncompleteException("redis-cli --rdb was sent an RDB of " + rdb + " bytes, but " + streamed
                    + " arrived; nothing was stored");
        }
        throw new DumpIncompleteException("redis-cli --rdb exited without saying the transfer finished; the "
                + streamed + " bytes are not trusted and nothing was stored");
    }

    /** The number in the last line of {@code text} that {@code pattern} matches, or null. */
    private static Long lastNumber(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        Long last = null;
        while (matcher.find()) {
            last = Long.parseLong(matcher.group(1));
        }
        return last;
    }

    @Override
    public void checkDump(DumpEnds ends) {
        String version = RdbFormat.version(ends);
        if (Integer.parseInt(version) > RdbFormat.NEWEST_READABLE) {
            throw new DbsnapException("the server wrote RDB format " + Integer.parseInt(version) + " (Redis 7.4 or "
                    + "newer); dbsnap restores RDB formats up to " + RdbFormat.NEWEST_READABLE + " (Redis 7.2), so it "
                    + "refuses to store a snapshot it could not restore");
        }
        // an RDB ends with the EOF opcode and an 8-byte checksum
        if (ends.size() < 9 + 9 || (ends.tail()[ends.tail().length - 9] & 0xff) != 0xff) {
            throw new DumpIncompleteException("the RDB of " + ends.size() + " bytes does not end with the EOF "
                    + "opcode and checksum every RDB ends with: the copy was cut; nothing was stored");
        }
    }

    @Override
    public boolean targetExists(ProcessRunner runner, DatabaseTarget target) {
        serverVersion(runner, target);
        return true;
    }

    @Override
    public void createTarget(ProcessRunner runner, DatabaseTarget target) {
        // a Redis server is its own database; there is nothing to create
    }

    @Override
    public void restore(ProcessRunner runner, DatabaseTarget target, Path verifiedDump, RestoreOptions options) {
        RdbReplay replay = new RdbReplay(verifiedDump);
        // the whole RDB is read and the target checked before FLUSHALL: a refusal changes nothing
        RdbReplay.Summary summary = replay.summarize();
        checkTarget(runner, target, summary);
        String out = runner.run(script("redis-cli --pipe", PIPE_SCRIPT, target), replay::writeTo,
                "replaying the snapshot into " + target);
        Matcher pipeSummary = PIPE_SUMMARY.matcher(out);
        if (!pipeSummary.find()) {
            throw new DbsnapException("redis-cli --pipe ended without its summary; the restore is not trusted: "
                    + out.strip());
        }
        long errors = Long.parseLong(pipeSummary.group(1));
        long replies = Long.parseLong(pipeSummary.group(2));
        if (errors != 0 || replies != replay.commands()) {
            throw new DbsnapException("restoring into " + target + " failed: " + errors + " of " + replay.commands()
                    + " commands failed, " + replies + " answered: " + out.strip());
        }
        checkRestored(runner, target, summary);
    }

    /** Refuses a target that cannot hold the snapshot, while it is still untouched. */
    private void checkTarget(ProcessRunner runner, DatabaseTarget target, RdbReplay.Summary summary) {
        int highest = Math.max(0, summary.highestDb());
        Map<String, String> facts = new LinkedHashMap<>();
        runner.run(script("redis-cli INFO", TARGET_SCRIPT, target, Integer.toString(highest)),
                "checking " + target).lines().forEach(line -> {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        facts.put(line.substring(0, eq), line.substring(eq + 1).strip());
                    }
                });
        String refusal = RedisTargetCheck.refusal(summary, facts.getOrDefault("version", ""),
                facts.getOrDefault("maxmemory", ""), facts.getOrDefault("policy", ""), facts.getOrDefault("select", ""));
        if (refusal != null) {
            throw new TargetRefusedException("refusing to restore into " + target + ": " + refusal + "; nothing was changed");
        }
    }

    @Override
    public List<String> plan(ProcessRunner runner, DatabaseTarget target, Path verifiedDump) {
        RdbReplay.Summary summary = new RdbReplay(verifiedDump).summarize();
        checkTarget(runner, target, summary);
        Map<Integer, Long> now = keysPerDb(runner, target);
        List<String> plan = new ArrayList<>();
        plan.add("flush every database of the server (" + now.values().stream().mapToLong(Long::longValue).sum()
                + " keys now), then restore " + summary.keysPerDb().values().stream().mapToLong(Long::longValue).sum()
                + " keys");
        java.util.SortedSet<Integer> dbs = new java.util.TreeSet<>(now.keySet());
        dbs.addAll(summary.keysPerDb().keySet());
        for (int db : dbs) {
            plan.add("db" + db + ": " + now.getOrDefault(db, 0L) + " keys now, " + summary.keysPerDb().getOrDefault(db, 0L)
                    + " after the restore");
        }
        return plan;
    }

    private Map<Integer, Long> keysPerDb(ProcessRunner runner, DatabaseTarget target) {
        Map<Integer, Long> counts = new java.util.TreeMap<>();
        Matcher line = KEYSPACE_LINE.matcher(runner.run(script("redis-cli INFO", KEYSPACE_SCRIPT, target),
                "counting the keys of " + target));
        while (line.find()) {
            counts.put(Integer.parseInt(line.group(1)), Long.parseLong(line.group(2)));
        }
        return counts;
    }

    /** After the replay: every database holds as many keys as the snapshot gave it (less those that expired since). */
    private void checkRestored(ProcessRunner runner, DatabaseTarget target, RdbReplay.Summary summary) {
        long countedAt = System.currentTimeMillis() + RdbReplay.EXPIRY_SLACK_MS;
        Map<Integer, Long> actual = keysPerDb(runner, target);
        String mismatch = RedisTargetCheck.keyMismatch(summary, actual, countedAt);
        if (mismatch != null) {
            throw new DbsnapException("the restore into " + target + " did not bring back the snapshot: " + mismatch
                    + " (evicted, or written by a client during the restore); restore it again with writers stopped");
        }
    }

    @Override
    public Command shellCommand(DatabaseTarget target, List<String> args) {
        Command command = script("redis-cli", CLI_FUNCTION + """
                [ -z "${DBSNAP_REDIS_DB:-}" ] || set -- -n "$DBSNAP_REDIS_DB" "$@"
                cli "$@"
                """, target, args.toArray(String[]::new));
        if (target.database() == null) {
            return command;
        }
        Map<String, String> env = new LinkedHashMap<>(command.env());
        env.put("DBSNAP_REDIS_DB", target.database());
        return new Command(command.argv(), env, command.secrets());
    }

    private static Command script(String name, String script, DatabaseTarget target, String... args) {
        Map<String, String> env = new LinkedHashMap<>();
        if (target.host() != null) {
            env.put("DBSNAP_REDIS_HOST", target.host());
        }
        if (target.port() != null) {
            env.put("DBSNAP_REDIS_PORT", target.port().toString());
        }
        if (target.user() != null) {
            env.put("DBSNAP_REDIS_USER", target.user());
        }
        target.passwordIfAny().ifPresent(p -> env.put("REDISCLI_AUTH", p));
        return Command.script(name, script, List.of(args), env, target.passwordIfAny().map(Set::of).orElse(Set.of()));
    }
}
