package io.dbsnap.core.engine;

import io.dbsnap.api.manifest.ManifestSource;
import io.dbsnap.api.storage.SnapshotLayout;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.pipeline.StreamedDump;
import io.dbsnap.core.process.Command;
import io.dbsnap.core.process.ProcessFailedException;
import io.dbsnap.core.process.ProcessRunner;
import io.dbsnap.core.process.RunningProcess;
import io.dbsnap.core.mask.Dialect;
import io.dbsnap.core.mask.DumpTable;
import io.dbsnap.core.mask.MaskPlan;
import io.dbsnap.core.mask.PgCopyMasker;
import io.dbsnap.core.database.DatabaseTarget;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PostgreSQL: {@code pg_dump --format=custom --compress=0} (the pipeline compresses, faster than
 * pg_dump's zlib) and {@code pg_restore --clean --if-exists}, in one transaction unless parallel;
 * one transaction is fed on stdin as the snapshot downloads ({@link StreamedRestore}).
 * Connection details reach libpq through its environment variables, never through arguments.
 */
public final class PostgresEngine implements Engine, StreamedRestore, MaskedRestore {

    /** URL query parameters and the libpq variables they set. */
    private static final Map<String, String> PARAMS = Map.of(
            "sslmode", "PGSSLMODE",
            "sslrootcert", "PGSSLROOTCERT",
            "sslcert", "PGSSLCERT",
            "sslkey", "PGSSLKEY",
            "connect_timeout", "PGCONNECT_TIMEOUT",
            "application_name", "PGAPPNAME",
            "options", "PGOPTIONS");
    private static final String MAINTENANCE_DB = "postgres";

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public int defaultPort() {
        return 5432;
    }

    @Override
    public Set<String> schemes() {
        return Set.of("postgresql", "postgres");
    }

    @Override
    public String dataFileName(DatabaseTarget target) {
        return "pg.dump";
    }

    @Override
    public Set<String> imageNames() {
        return Set.of("postgres", "postgresql", "postgis", "timescaledb", "timescaledb-ha", "cloudnative-pg");
    }

    @Override
    public String podDatabaseVariable() {
        return "PGDATABASE";
    }

    @Override
    public Map<String, String> podEnvironmentDefaults() {
        // the official and Bitnami images name their superuser, password and database like this
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("PGUSER", "${POSTGRES_USER:-${POSTGRESQL_USERNAME:-postgres}}");
        defaults.put("PGPASSWORD", "${POSTGRES_PASSWORD:-${POSTGRESQL_PASSWORD:-}}");
        defaults.put("PGDATABASE", "${POSTGRES_DB:-${POSTGRESQL_DATABASE:-$PGUSER}}");
        return defaults;
    }

    @Override
    public void validate(DatabaseTarget target) {
        if (target.database() == null) {
            throw new DbsnapException("TARGET " + target + " names no database: add /DATABASE, e.g. "
                    + "postgresql://user@localhost:5432/orders");
        }
        for (String param : target.params().keySet()) {
            if (!PARAMS.containsKey(param)) {
                throw new DbsnapException("TARGET " + target + " has unknown parameter '" + param + "': "
                        + "dbsnap passes " + String.join(", ", PARAMS.keySet().stream().sorted().toList()));
            }
        }
    }

    @Override
    public ManifestSource source(DatabaseTarget target) {
        String host = target.host() == null ? "localhost" : target.host();
        int port = target.port() == null ? 5432 : target.port();
        return ManifestSource.local(SnapshotLayout.sourceSegment(host + "-" + port + "-" + target.database()), host,
                port, target.database());
    }

    @Override
    public String serverVersion(ProcessRunner runner, DatabaseTarget target) {
        String out = runner.run(psql(target, target.database(), "-c", "SHOW server_version"),
                "connecting to " + target);
        String version = out.strip();
        int space = version.indexOf(' ');
        return space < 0 ? version : version.substring(0, space);
    }

    @Override
    public Command dumpCommand(DatabaseTarget target) {
        return command(target, target.database(), List.of("pg_dump", "--format=custom", "--compress=0",
                "--no-password"));
    }

    @Override
    public Command shellCommand(DatabaseTarget target, List<String> args) {
        List<String> argv = new ArrayList<>(List.of("psql"));
        argv.addAll(args);
        Command command = command(target, target.database(), argv);
        Map<String, String> env = new LinkedHashMap<>(command.env());
        env.remove("PGAPPNAME"); // a person's session, not dbsnap's
        return new Command(argv, env, command.secrets());
    }

    @Override
    public void checkDump(DumpEnds ends) {
        // the custom format has no end marker: the count and hash at the source are what find a cut dump
        if (!ends.headStartsWith("PGDMP")) {
            throw new DbsnapException("what pg_dump wrote is not a custom-format archive (no PGDMP header); "
                    + "nothing was stored");
        }
    }

    @Override
    public boolean targetExists(ProcessRunner runner, DatabaseTarget target) {
        try {
            runner.run(psql(target, target.database(), "-c", "SELECT 1"), "connecting to " + target);
            return true;
        } catch (ProcessFailedException e) {
            if (e.toolSaid("database \"" + target.database() + "\" does not exist")) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void createTarget(ProcessRunner runner, DatabaseTarget target) {
        Command create = psql(target, MAINTENANCE_DB, "-v", "db=" + target.database(), "-f", "-");
        runner.run(create, "CREATE DATABASE :\"db\";\n".getBytes(StandardCharsets.UTF_8),
                "creating database " + target.database());
    }

    @Override
    public void restore(ProcessRunner runner, DatabaseTarget target, Path verifiedDump, RestoreOptions options) {
        List<PgRestoreCheck.Listed> listed = PgRestoreCheck.listed(PgArchiveToc.read(verifiedDump));
        if (options.jobs() > 1) {
            // parallel restore reads a file it may seek in, and cannot share one transaction: fast, not atomic
            List<String> argv = pgRestore(target, options);
            argv.add("--jobs=" + options.jobs());
            argv.add("--");
            argv.add(verifiedDump.toString());
            runner.run(command(target, target.database(), argv), "pg_restore");
        } else {
            runner.run(singleTransaction(target, options), ProcessRunner.Stdin.of(verifiedDump), "pg_restore");
        }
        checkRestored(runner, target, listed);
    }

    @Override
    public boolean streams(RestoreOptions options) {
        return options.jobs() <= 1;
    }

    @Override
    public void restore(ProcessRunner runner, DatabaseTarget target, StreamedDump dump, RestoreOptions options) {
        if (!streams(options)) {
            throw new IllegalArgumentException("a parallel restore reads a file, not a stream");
        }
        // the table of contents heads the archive: it says what the restored target must hold, and where
        // the archive ends, after which nothing may follow
        PgArchiveToc.Layout layout = dump.readHead(PgArchiveToc::layout);
        dump.endsWhere(new PgArchiveEnd(layout));
        List<PgRestoreCheck.Listed> listed = PgRestoreCheck.listed(layout.entries());
        runner.run(singleTransaction(target, options), dump.stdin(), "pg_restore");
        checkRestored(runner, target, listed);
    }

    @Override
    public Dialect maskDialect() {
        return Dialect.POSTGRESQL;
    }

    @Override
    public List<DumpTable> maskTables(Path verifiedDump) {
        PgArchiveToc.ForMasking extras = PgArchiveToc.forMasking(verifiedDump);
        if (extras.largeObjects() > 0) {
            // their bytes are no table's rows, and pg_restore's script commits each one on its own
            throw new io.dbsnap.core.mask.MaskRulesException("this snapshot holds " + extras.largeObjects()
                    + " large object entries, which masking can neither read nor keep in one transaction; restore it "
                    + "without --mask, or move the large objects into bytea columns");
        }
        if (extras.encoding() != null && !extras.encoding().equalsIgnoreCase("UTF8")) {
            throw new io.dbsnap.core.mask.MaskRulesException("this snapshot's database is " + extras.encoding()
                    + "-encoded; masking reads rows as UTF-8: restore it without --mask");
        }
        return List.copyOf(shapes(extras).byCopyStatement().values());
    }

    private static PgTableShapes.Shapes shapes(PgArchiveToc.ForMasking archive) {
        return PgTableShapes.of(archive.tables(), archive.definitions());
    }

    /**
     * {@code pg_restore --file=-} writes the archive as a script; the rows are masked on their way to one
     * {@code psql} session, inside one transaction whose COMMIT is written only once pg_restore exited 0 and
     * every row was masked: until then no other connection sees a row, masked or not, and any failure rolls
     * everything back.
     */
    @Override
    public void restoreMasked(ProcessRunner runner, DatabaseTarget target, Path verifiedDump, RestoreOptions options,
                              MaskPlan plan) {
        List<PgRestoreCheck.Listed> listed = PgRestoreCheck.listed(PgArchiveToc.read(verifiedDump));
        PgTableShapes.Shapes shapes = shapes(PgArchiveToc.forMasking(verifiedDump));
        PgCopyMasker masker = new PgCopyMasker(plan, shapes.byCopyStatement(), shapes.blocks(), shapes.partitioned());
        List<String> script = new ArrayList<>(List.of("pg_restore", "--clean", "--if-exists", "--file=-"));
        if (options.noOwner()) {
            script.add("--no-owner");
            script.add("--no-privileges");
        }
        script.add("--");
        script.add(verifiedDump.toString());
        Command psql = command(target, target.database(), List.of("psql", "-X", "-q", "-w", "-v", "ON_ERROR_STOP=1",
                "--output=/dev/null", "-f", "-"));
        try {
            runner.run(psql, out -> {
                java.io.OutputStream buffered = new java.io.BufferedOutputStream(out, 1 << 16);
                buffered.write("BEGIN;\n".getBytes(StandardCharsets.UTF_8));
                try (RunningProcess restore = runner.start(new Command(script, Map.of(), Set.of()))) {
                    masker.mask(restore.stdout(), buffered);
                    restore.awaitSuccess("pg_restore");
                }
                buffered.write("COMMIT;\n".getBytes(StandardCharsets.UTF_8));
                buffered.flush();
            }, "restoring the masked snapshot into " + target);
        } catch (DbsnapException e) {
            String collision = masker.collision(e.getMessage());
            String outcome = " (the restore ran in one transaction, which rolled back: nothing of the snapshot was "
                    + "committed)";
            throw new DbsnapException((collision != null ? collision + "; " + e.getMessage() : e.getMessage())
                    + outcome, e);
        }
        checkRestored(runner, target, listed);
    }

    @Override
    public void dropCreatedTarget(ProcessRunner runner, DatabaseTarget target) {
        Command drop = psql(target, MAINTENANCE_DB, "-v", "db=" + target.database(), "-f", "-");
        // the stopped pg_restore's backend may take a moment to roll back and go; never WITH (FORCE):
        // whoever else is connected by then keeps the database
        for (int attempt = 1; ; attempt++) {
            try {
                runner.run(drop, "DROP DATABASE :\"db\";\n".getBytes(StandardCharsets.UTF_8),
                        "dropping database " + target.database());
                return;
            } catch (ProcessFailedException e) {
                if (attempt >= 20 || !e.toolSaid("is being accessed by other users")) {
                    throw e;
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * One transaction, fed on stdin: the archive need not be where pg_restore runs (a database pod),
     * and a cut stream ends in a rollback, not a partial database.
     */
    private Command singleTransaction(DatabaseTarget target, RestoreOptions options) {
        List<String> argv = pgRestore(target, options);
        argv.add("--single-transaction");
        return command(target, target.database(), argv);
    }

    private List<String> pgRestore(DatabaseTarget target, RestoreOptions options) {
        List<String> argv = new ArrayList<>(List.of("pg_restore", "--clean", "--if-exists", "--no-password",
                "--exit-on-error", "--dbname=" + conninfoDbname(target.database())));
        if (options.noOwner()) {
            argv.add("--no-owner");
            argv.add("--no-privileges");
        }
        return argv;
    }

    @Override
    public List<String> plan(ProcessRunner runner, DatabaseTarget target, Path verifiedDump) {
        return plan(runner, target, PgArchiveToc.read(verifiedDump));
    }

    @Override
    public List<String> plan(ProcessRunner runner, DatabaseTarget target, StreamedDump dump) {
        List<PgArchiveToc.Entry> toc = dump.readHead(PgArchiveToc::read);
        try {
            // the plan needs only the table of contents, but a dry run verifies every byte
            dump.stdin().writeTo(java.io.OutputStream.nullOutputStream());
        } catch (java.io.IOException e) {
            throw new DbsnapException("cannot verify the snapshot: " + e.getMessage(), e);
        }
        return plan(runner, target, toc);
    }

    private List<String> plan(ProcessRunner runner, DatabaseTarget target, List<PgArchiveToc.Entry> toc) {
        List<PgRestoreCheck.Listed> listed = PgRestoreCheck.listed(toc);
        boolean exists = targetExists(runner, target);
        java.util.Set<String> missing = exists ? Set.copyOf(PgRestoreCheck.missing(listed, relations(runner, target)))
                : listed.stream().map(PgRestoreCheck.Listed::schemaNameOwner).collect(java.util.stream.Collectors.toSet());
        List<String> plan = new ArrayList<>();
        plan.add((exists ? "restore into database " : "create database ") + target.database());
        for (PgArchiveToc.Entry entry : toc) {
            Character kind = PgRestoreCheck.kindOf(entry.desc());
            if (kind != null) {
                String key = entry.namespace() + " " + entry.tag() + " " + entry.owner();
                plan.add((missing.contains(key) ? "create " : "replace ") + entry.desc().toLowerCase(java.util.Locale.ROOT)
                        + " " + entry.namespace() + "." + entry.tag());
            }
        }
        return plan;
    }

    /** The target must now hold every table, view and sequence of the archive. */
    private void checkRestored(ProcessRunner runner, DatabaseTarget target, List<PgRestoreCheck.Listed> listed) {
        List<String> missing = PgRestoreCheck.missing(listed, relations(runner, target));
        if (!missing.isEmpty()) {
            throw new DbsnapException("pg_restore exited 0 but " + target + " lacks " + missing.size() + " of the "
                    + listed.size() + " tables, views and sequences of the snapshot (first: " + missing.get(0)
                    + "); the restore failed");
        }
    }

    /** {@code relkind|schema name} of each table, view and sequence the target holds, one per line. */
    private String relations(ProcessRunner runner, DatabaseTarget target) {
        return runner.run(psql(target, target.database(), "-c", "SELECT c.relkind::text || '|' || n.nspname "
                + "|| ' ' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE c.relkind IN ('r', 'p', 'S', 'v', 'm')"), "checking what " + target + " holds");
    }

    /**
     * {@code --dbname} reads a value with {@code =} or a URI prefix as a whole connection string
     * ({@code host=elsewhere dbname=x}): given as one quoted {@code dbname='...'} it is only ever a name.
     */
    public static String conninfoDbname(String database) {
        return "dbname='" + database.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private Command psql(DatabaseTarget target, String database, String... args) {
        List<String> argv = new ArrayList<>(List.of("psql", "-X", "-A", "-t", "-q", "-w", "-v", "ON_ERROR_STOP=1"));
        argv.addAll(List.of(args));
        return command(target, database, argv);
    }

    private Command command(DatabaseTarget target, String database, List<String> argv) {
        Map<String, String> env = new LinkedHashMap<>();
        if (target.host() != null) {
            env.put("PGHOST", target.host());
        }
        if (target.port() != null) {
            env.put("PGPORT", target.port().toString());
        }
        if (target.user() != null) {
            env.put("PGUSER", target.user());
        }
        target.passwordIfAny().ifPresent(p -> env.put("PGPASSWORD", p));
        if (database != null) {
            env.put("PGDATABASE", database);
        }
        env.put("PGCONNECT_TIMEOUT", "10");
        env.put("PGAPPNAME", "dbsnap");
        target.params().forEach((name, value) -> env.put(PARAMS.get(name), value));
        return new Command(argv, env, target.passwordIfAny().map(Set::of).orElse(Set.of()));
    }
}
