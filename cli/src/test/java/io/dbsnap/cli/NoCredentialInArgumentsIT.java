package io.dbsnap.cli;

import io.dbsnap.core.testing.MariaDbSampleData;
import io.dbsnap.core.testing.MariaDbServer;
import io.dbsnap.core.testing.RedisServer;
import io.dbsnap.core.testing.S3Server;
import io.dbsnap.core.testing.SqliteDatabase;
import io.dbsnap.core.testing.WithPostgresAndS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No credential in any process's arguments (what {@code ps} and {@code /proc/PID/cmdline} show every
 * user of the machine), for every engine and every command that runs one: the packaged dbsnap runs
 * with a PATH whose first entries are shims that write down their arguments and then exec the real
 * tool, so every program any code path starts (dump, restore, version probe, create-target, the
 * pre-restore snapshot, the post-restore checks, {@code sh -c} scripts) is seen.
 */
class NoCredentialInArgumentsIT extends WithPostgresAndS3 {

    private static final List<String> TOOLS = List.of("sh", "pg_dump", "pg_restore", "psql", "mariadb", "mariadb-dump",
            "mysql", "mysqldump", "redis-cli", "sqlite3");

    @TempDir
    static Path work;
    private static MariaDbServer mariadb;
    private static RedisServer redis;
    private static Path argvLog;
    private static Path shims;

    @BeforeAll
    static void prepare() throws Exception {
        SmallDatabase.create(pg, "app");
        s3.createBucket("argv");
        mariadb = MariaDbServer.start();
        mariadb.createDatabase("shop");
        MariaDbSampleData.load(mariadb, "shop");
        redis = RedisServer.start();
        redis.cli("SET", "greeting", "hello");
        redis.cli("HSET", "user:1", "name", "ada");
        SqliteDatabase.create(work.resolve("app.db"));
        argvLog = work.resolve("argv.log");
        shims = Files.createDirectories(work.resolve("shims"));
        for (String tool : TOOLS) {
            Path real = which(tool);
            if (real == null) {
                continue;
            }
            Path shim = shims.resolve(tool);
            // one line per argument, each process's arguments after a line naming the program
            Files.writeString(shim, """
                    #!/bin/sh
                    { printf '== %%s\\n' "$0"; for a in "$@"; do printf '%%s\\n' "$a"; done; } >> "$DBSNAP_ARGV_LOG"
                    exec %s "$@"
                    """.formatted(real));
            Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable server : new AutoCloseable[]{mariadb, redis}) {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void noProgramAnyCommandStartsGetsAPasswordInItsArguments() throws Exception {
        List<String> secrets = List.of(pg.password(), mariadb.password(), redis.password(), S3Server.SECRET_KEY);
        List<Run> runs = new ArrayList<>();
        String pgUrl = pg.url("app");
        String mariaUrl = mariadb.url("shop");
        String sqliteUrl = "sqlite://" + work.resolve("app.db");
        for (String url : List.of(pgUrl, mariaUrl, redis.url(), sqliteUrl)) {
            for (String store : List.of("file://" + work.resolve("store"), "s3://argv/it")) {
                runs.add(dbsnap(store, "create", url, "--tag", "argv"));
                runs.add(dbsnap(store, "list"));
                runs.add(dbsnap(store, "verify", "--all"));
                // into the database itself: the version probe, the pre-restore snapshot, the restore, the checks
                runs.add(dbsnap(store, "restore", url, "--latest", "--force"));
            }
        }
        // targets that do not exist yet: create-target
        runs.add(dbsnap("file://" + work.resolve("store"), "restore", pg.url("app_new"), "--source",
                "127.0.0.1-" + pg.port() + "-app", "--latest", "--force"));
        runs.add(dbsnap("file://" + work.resolve("store"), "restore", mariadb.url("shop_new"), "--source",
                "127.0.0.1-" + mariadb.port() + "-shop", "--latest", "--force"));

        for (Run run : runs) {
            assertThat(run.exit()).as(run.describe()).isZero();
        }
        String argv = Files.readString(argvLog, StandardCharsets.UTF_8);
        // the shims saw the engines' programs, so a clean log means something was looked at
        assertThat(argv).contains("== " + shims.resolve("pg_dump"), "== " + shims.resolve("pg_restore"),
                "== " + shims.resolve("psql"), "== " + shims.resolve("redis-cli"), "== " + shims.resolve("sqlite3"));
        assertThat(argv).containsAnyOf("== " + shims.resolve("mariadb-dump"), "== " + shims.resolve("mysqldump"));
        assertThat(argv).containsAnyOf("== " + shims.resolve("mariadb") + "\n", "== " + shims.resolve("mysql") + "\n");
        assertThat(argv.lines().filter(l -> l.startsWith("== ")).count()).as("programs started").isGreaterThan(40);
        List<String> manifests = StoredManifests.read(work.resolve("store"), s3, "argv");
        assertThat(manifests).as("manifests, local and on S3").hasSizeGreaterThanOrEqualTo(2 * 4 * 2);
        for (String secret : secrets) {
            assertThat(argv).as("arguments of every program started").doesNotContain(secret);
            for (Run run : runs) {
                assertThat(run.out() + run.err()).as(run.describe()).doesNotContain(secret);
            }
            assertThat(manifests).noneMatch(m -> m.contains(secret));
        }
    }

    record Run(List<String> args, int exit, String out, String err) {
        String describe() {
            return String.join(" ", args) + " exited " + exit + "\n" + out + err;
        }
    }

    private static Run dbsnap(String store, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target/dbsnap.jar").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = new HashMap<>(Map.of(
                "PATH", shims + ":" + System.getenv("PATH"),
                "DBSNAP_ARGV_LOG", argvLog.toString(),
                "DBSNAP_STORE", store,
                "TMPDIR", work.toString(),
                "AWS_ENDPOINT_URL", s3.endpoint().toString(),
                "AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY,
                "AWS_EC2_METADATA_DISABLED", "true"));
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as(String.join(" ", args)).isTrue();
        return new Run(List.of(args), process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static Path which(String tool) {
        for (String dir : System.getenv("PATH").split(":")) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
