package io.dbsnap.core.engine;

import io.dbsnap.api.manifest.ManifestSource;
import io.dbsnap.api.storage.SnapshotLayout;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.pipeline.DumpIncompleteException;
import io.dbsnap.core.process.Command;
import io.dbsnap.core.process.ProcessFailedException;
import io.dbsnap.core.process.ProcessRunner;
import io.dbsnap.core.mask.Dialect;
import io.dbsnap.core.mask.DumpTable;
import io.dbsnap.core.mask.MaskPlan;
import io.dbsnap.core.mask.MySqlDumpMasker;
import io.dbsnap.core.database.DatabaseTarget;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MySQL and MariaDB: {@code mariadb-dump} (or {@code mysqldump} where that is what the image has) in
 * one consistent transaction with routines, triggers, events and binary data as hex, restored with
 * {@code mariadb} / {@code mysql}. One database, or, when none is named, every database but the
 * system ones ({@code mysql}, {@code sys}, {@code information_schema}, {@code performance_schema}): users
 * and grants are not part of a snapshot. The password reaches the tools through {@code MYSQL_PWD},
 * never an argument.
 */
public final class MySqlEngine implements Engine, MaskedRestore {

    /** First line of a dump of every database: such a dump chooses its databases itself. */
    static final String ALL_DATABASES_MARKER = "-- dbsnap: all databases";

    /** {@code client ARGS...} and {@code dump ARGS...}: the MariaDB tools, else MySQL's, with the connection. */
    private static final String TOOLS = """
            if command -v mariadb >/dev/null 2>&1; then client_bin=mariadb; else client_bin=mysql; fi
            if command -v mariadb-dump >/dev/null 2>&1; then dump_bin=mariadb-dump; else dump_bin=mysqldump; fi
            connected() {
              prog=$1; shift
              [ -z "${DBSNAP_MYSQL_SOCKET:-}" ] || set -- --socket="$DBSNAP_MYSQL_SOCKET" "$@"
              [ -z "${DBSNAP_MYSQL_PORT:-}" ] || set -- --port="$DBSNAP_MYSQL_PORT" "$@"
              [ -z "${DBSNAP_MYSQL_HOST:-}" ] || set -- --host="$DBSNAP_MYSQL_HOST" "$@"
              [ -z "${DBSNAP_MYSQL_USER:-}" ] || set -- --user="$DBSNAP_MYSQL_USER" "$@"
              "$prog" "$@"
            }
            client() { connected "$client_bin" --default-character-set=utf8mb4 "$@"; }
            dump() { connected "$dump_bin" --default-character-set=utf8mb4 "$@"; }
            """;

    /** The databases of a server that are its own, not the system's: what "every database" means. */
    private static final String USER_DATABASES = "FROM information_schema.schemata WHERE schema_name NOT IN "
            + "('mysql', 'sys', 'information_schema', 'performance_schema')";

    private static final String DUMP_SCRIPT = "set -eu\n" + TOOLS + """
            # --comments: the closing "-- Dump completed" line is how a cut dump is told, whatever my.cnf says
            set -- --single-transaction --routines --triggers --events --hex-blob --quick --no-tablespaces --comments --skip-dump-date
            if "$dump_bin" --help 2>/dev/null | grep -q -- '--set-gtid-purged'; then set -- "$@" --set-gtid-purged=OFF; fi
            # "--" ends the options: a database named --no-data or --result-file=/etc/x is only ever a name
            if [ -n "${DBSNAP_MYSQL_DATABASE:-}" ]; then
              dump "$@" -- "$DBSNAP_MYSQL_DATABASE"
            else
              user_dbs="%s"
              # the batch output escapes these characters and would hand the dump tool other names than the server's
              odd=$(client -N -B -e "SELECT COUNT(*) $user_dbs AND (LOCATE(CHAR(10), schema_name) > 0 OR LOCATE(CHAR(13), schema_name) > 0 OR LOCATE(CHAR(9), schema_name) > 0 OR LOCATE(CHAR(92), schema_name) > 0 OR LOCATE(CHAR(0), schema_name) > 0)")
              [ "$odd" = 0 ] || { echo "$odd database name(s) on this server hold a line break, tab or backslash, which cannot be listed safely: name the database to snapshot instead of taking every database" >&2; exit 65; }
              dbs=$(client -N -B -e "SELECT schema_name $user_dbs ORDER BY schema_name")
              [ -n "$dbs" ] || { echo "the server has no databases besides the system ones" >&2; exit 65; }
              set -- "$@" --databases --
              while IFS= read -r db; do set -- "$@" "$db"; done <<EOF
            $dbs
            EOF
              echo "%s"
              dump "$@"
            fi
            """.formatted(USER_DATABASES, ALL_DATABASES_MARKER);

    private static final Pattern DUMP_COMPLETED = Pattern.compile("\n-- Dump completed( on [^\n]*)?\n\\z");
    private static final Pattern VERSION = Pattern.compile("^(\\d+\\.\\d+\\.\\d+)");

    private final String name;
    private final Set<String> schemes;
    private final Set<String> imageNames;

    private MySqlEngine(String name, Set<String> schemes, Set<String> imageNames) {
        this.name = name;
        this.schemes = schemes;
        this.imageNames = imageNames;
    }

    public static MySqlEngine mysql() {
        return new MySqlEngine("mysql", Set.of("mysql"), Set.of("mysql", "mysql-server", "percona-server", "percona"));
    }

    public static MySqlEngine mariadb() {
        return new MySqlEngine("mariadb", Set.of("mariadb"), Set.of("mariadb", "mariadb-galera"));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int defaultPort() {
        return 3306;
    }

    @Override
    public Set<String> schemes() {
        return schemes;
    }

    @Override
    public String dataFileName(DatabaseTarget target) {
        return "dump.sql";
    }

    @Override
    public Set<String> imageNames() {
        return imageNames;
    }

    @Override
    public String podDatabaseVariable() {
        return "DBSNAP_MYSQL_DATABASE";
    }

    @Override
    public Map<String, String> podEnvironmentDefaults() {
        // the official MariaDB and MySQL images and Bitnami's: root when its password is there, else the app user
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("DBSNAP_MYSQL_ROOT_PASSWORD", "${MARIADB_ROOT_PASSWORD:-${MYSQL_ROOT_PASSWORD:-}}");
        defaults.put("DBSNAP_MYSQL_ROOT_USER", "${DBSNAP_MYSQL_ROOT_PASSWORD:+${MARIADB_ROOT_USER:-root}}");
        defaults.put("DBSNAP_MYSQL_USER", "${DBSNAP_MYSQL_ROOT_USER:-${MARIADB_USER:-${MYSQL_USER:-root}}}");
        defaults.put("MYSQL_PWD", "${DBSNAP_MYSQL_ROOT_PASSWORD:-${MARIADB_PASSWORD:-${MYSQL_PASSWORD:-}}}");
        defaults.put("DBSNAP_MYSQL_DATABASE", "${MARIADB_DATABASE:-${MYSQL_DATABASE:-}}");
        // the MySQL clients' own variables, which not every tool of every version reads by itself
        defaults.put("DBSNAP_MYSQL_HOST", "${MYSQL_HOST:-}");
        defaults.put("DBSNAP_MYSQL_PORT", "${MYSQL_TCP_PORT:-}");
        return defaults;
    }

    @Override
    public void validate(DatabaseTarget target) {
        for (String param : target.params().keySet()) {
            if (!param.equals("socket")) {
                throw new DbsnapException("TARGET " + target + " has unknown parameter '" + param + "': "
                        + name + ":// takes socket");
            }
        }
    }

    @Override
    public ManifestSource source(DatabaseTarget target) {
        String host = target.host() == null ? "localhost" : target.host();
        int port = target.port() == null ? 3306 : target.port();
        // every database of the server is the server's folder; one database's folder adds its name
        String readable = host + "-" + port + (target.database() == null ? "" : "-" + target.database());
        return ManifestSource.local(SnapshotLayout.sourceSegment(readable), host, port, target.database());
    }

    @Override
    public String serverVersion(ProcessRunner runner, DatabaseTarget target) {
        String out = runner.run(script("mariadb", TOOLS + "client -N -B -e 'SELECT VERSION()'", target, null),
                "connecting to " + target).strip();
        Matcher version = VERSION.matcher(out);
        if (!version.find()) {
            return out;
        }
        return version.group(1) + (out.contains("MariaDB") ? "-MariaDB" : "");
    }

    @Override
    public Command dumpCommand(DatabaseTarget target) {
        return script(name.equals("mariadb") ? "mariadb-dump" : "mysqldump", DUMP_SCRIPT, target, null);
    }

    @Override
    public Command shellCommand(DatabaseTarget target, List<String> args) {
        return scriptWithArgs(name.equals("mariadb") ? "mariadb" : "mysql", TOOLS + """
                [ -z "${DBSNAP_MYSQL_DATABASE:-}" ] || set -- --database="$DBSNAP_MYSQL_DATABASE" "$@"
                client "$@"
                """, target, args);
    }

    @Override
    public void checkDump(DumpEnds ends) {
        // mysqldump and mariadb-dump write this line last, and only when the dump completed
        if (!DUMP_COMPLETED.matcher(ends.tailText()).find()) {
            throw new DumpIncompleteException("the dump of " + ends.size() + " bytes does not end with '-- Dump "
                    + "completed', which " + name + " dumps always end with: it was cut; nothing was stored");
        }
    }

    @Override
    public boolean targetExists(ProcessRunner runner, DatabaseTarget target) {
        if (target.database() == null) {
            serverVersion(runner, target);
            return true;
        }
        try {
            runner.run(script("mariadb", TOOLS + "client -N -B --database=\"$1\" -e 'SELECT 1'", target,
                    target.database()), "connecting to " + target);
            return true;
        } catch (ProcessFailedException e) {
            if (e.toolSaid("ERROR 1049")) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public boolean holdsNothing(ProcessRunner runner, DatabaseTarget target) {
        if (target.database() != null) {
            return false;
        }
        String count = runner.run(script("mariadb", TOOLS + "client -N -B -e \"SELECT COUNT(*) " + USER_DATABASES
                + "\"", target, null), "looking at " + target).strip();
        return count.equals("0");
    }

    @Override
    public void createTarget(ProcessRunner runner, DatabaseTarget target) {
        String sql = "CREATE DATABASE `" + target.database().replace("`", "``") + "`;\n";
        runner.run(script("mariadb", TOOLS + "client", target, null), sql.getBytes(StandardCharsets.UTF_8),
                "creating database " + target.database());
    }

    @Override
    public void restore(ProcessRunner runner, DatabaseTarget target, Path verifiedDump, RestoreOptions options) {
        // a pod's exec has no end of input but the count, so the unchanged dump goes with its size
        restore(runner, target, verifiedDump, size(verifiedDump), (in, out) -> in.transferTo(out));
    }

    @Override
    public Dialect maskDialect() {
        return Dialect.MYSQL;
    }

    @Override
    public List<DumpTable> maskTables(Path verifiedDump) {
        try (InputStream in = Files.newInputStream(verifiedDump)) {
            return MySqlDumpMasker.tables(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every INSERT is masked on its way to the client, so the server never receives an unmasked value;
     * like any MySQL restore it is not one transaction (DDL commits), so a failure leaves a partial, masked
     * target, which the message says.
     */
    @Override
    public void restoreMasked(ProcessRunner runner, DatabaseTarget target, Path verifiedDump, RestoreOptions options,
                              MaskPlan plan) {
        MySqlDumpMasker masker = new MySqlDumpMasker(plan);
        try {
            restore(runner, target, verifiedDump, -1, (in, out) -> {
                java.io.OutputStream buffered = new java.io.BufferedOutputStream(out, 1 << 16);
                masker.mask(in, buffered);
                buffered.flush();
            });
        } catch (DbsnapException e) {
            String collision = masker.collision(e.getMessage());
            throw new DbsnapException((collision != null ? collision + "; " : "") + e.getMessage() + " (a MySQL restore is not one transaction: " + target
                    + " may hold part of the snapshot, every row of it masked; restore again once this is fixed)", e);
        }
    }

    /** How the dump's bytes reach the client: as they are, or masked. */
    @FunctionalInterface
    private interface Feed {
        void copy(InputStream dump, java.io.OutputStream client) throws IOException;
    }

    private void restore(ProcessRunner runner, DatabaseTarget target, Path verifiedDump, long length, Feed feed) {
        boolean allDatabases = checkShape(target, verifiedDump);
        String restore = TOOLS + (allDatabases ? "client --binary-mode" : "client --binary-mode --database=\"$1\"");
        // the dump's tables are noted as it streams to the client, so the file is read once
        MySqlDumpTables dumped = new MySqlDumpTables(target.database());
        runner.run(script(name.equals("mariadb") ? "mariadb" : "mysql", restore, target, target.database()),
                ProcessRunner.Stdin.sized(length, out -> {
                    try (InputStream in = new java.io.FilterInputStream(Files.newInputStream(verifiedDump)) {
                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            int n = super.read(b, off, len);
                            if (n > 0) {
                                dumped.update(b, off, n);
                            }
                            return n;
                        }
                    }) {
                        feed.copy(in, out);
                    }
                }), "restoring into " + target);
        checkRestored(runner, target, dumped.tables());
    }

    @Override
    public void checkFits(DatabaseTarget target, Path verifiedDump) {
        checkShape(target, verifiedDump);
    }

    /** Whether the dump holds every database of its server; refuses one that does not fit the target's shape. */
    private boolean checkShape(DatabaseTarget target, Path verifiedDump) {
        boolean allDatabases = firstLine(verifiedDump).equals(ALL_DATABASES_MARKER);
        if (allDatabases && target.database() != null) {
            throw new TargetRefusedException("this snapshot holds every database of its server and restores each under "
                    + "its own name: restore it into a server URL without a database, e.g. " + name
                    + "://user@host:3306/");
        }
        if (!allDatabases && target.database() == null) {
            throw new TargetRefusedException("this snapshot holds one database: name the database to restore it into, "
                    + "e.g. " + name + "://user@host:3306/orders");
        }
        return allDatabases;
    }

    @Override
    public List<String> plan(ProcessRunner runner, DatabaseTarget target, Path verifiedDump) {
        checkShape(target, verifiedDump);
        MySqlDumpTables dumped = new MySqlDumpTables(target.database());
        try (InputStream in = Files.newInputStream(verifiedDump)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                dumped.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> present = presentTables(runner, target);
        List<String> plan = new ArrayList<>();
        if (target.database() != null) {
            plan.add((targetExists(runner, target) ? "restore into database " : "create database ") + target.database());
        }
        dumped.tables().stream().sorted().forEach(t -> plan.add((present.contains(MySqlDumpTables.folded(t))
                ? "replace table " : "create table ") + MySqlDumpTables.readable(t)));
        return plan;
    }

    /** Every base table the dump creates must now exist, in the database it belongs to. */
    private void checkRestored(ProcessRunner runner, DatabaseTarget target, Set<String> expected) {
        Set<String> present = presentTables(runner, target);
        List<String> missing = expected.stream().filter(t -> !present.contains(MySqlDumpTables.folded(t))).toList();
        if (!missing.isEmpty()) {
            throw new DbsnapException(name + " exited 0 but " + target + " lacks " + missing.size() + " of the "
                    + expected.size() + " tables of the snapshot (first: " + MySqlDumpTables.readable(missing.get(0))
                    + "); the restore failed");
        }
    }

    /** The server's base tables, as folded {@code HEX(schema) HEX(table)} pairs. */
    private Set<String> presentTables(ProcessRunner runner, DatabaseTarget target) {
        return new HashSet<>(runner.run(script("mariadb", TOOLS + "client -N -B -e "
                + "\"SELECT CONCAT(HEX(TABLE_SCHEMA), ' ', HEX(TABLE_NAME)) FROM information_schema.TABLES "
                + "WHERE TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')\"", target, null),
                "checking what " + target + " holds").lines().map(MySqlDumpTables::folded).toList());
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstLine(Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String line = reader.readLine();
            return line == null ? "" : line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Command script(String programName, String script, DatabaseTarget target, String arg) {
        return scriptWithArgs(programName, script, target, arg == null ? List.of() : List.of(arg));
    }

    private Command scriptWithArgs(String programName, String script, DatabaseTarget target, List<String> givenArgs) {
        Map<String, String> env = new LinkedHashMap<>();
        if (target.host() != null) {
            env.put("DBSNAP_MYSQL_HOST", target.host());
        }
        if (target.port() != null) {
            env.put("DBSNAP_MYSQL_PORT", target.port().toString());
        }
        if (target.params().containsKey("socket")) {
            env.put("DBSNAP_MYSQL_SOCKET", target.params().get("socket"));
        }
        if (target.user() != null) {
            env.put("DBSNAP_MYSQL_USER", target.user());
        }
        target.passwordIfAny().ifPresent(p -> env.put("MYSQL_PWD", p));
        if (target.database() != null) {
            env.put("DBSNAP_MYSQL_DATABASE", target.database());
        }
        List<String> args = new ArrayList<>(givenArgs);
        return Command.script(programName, "set -eu\n" + script.replaceFirst("^set -eu\n", ""), args, env,
                target.passwordIfAny().map(Set::of).orElse(Set.of()));
    }
}
