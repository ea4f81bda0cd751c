package io.dbsnap.cli;

import io.dbsnap.core.testing.WithPostgresAndS3;
import io.dbsnap.core.testing.PgSampleData;
import io.dbsnap.core.testing.PostgresServer;
import io.dbsnap.core.testing.S3Server;
import io.dbsnap.core.testing.TcpProxy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged launcher and jar, run as separate processes the way a user runs them: catches
 * what in-process tests cannot, such as a runtime dependency missing from the package.
 */
class PackagedCliIT extends WithPostgresAndS3 {


    @TempDir
    Path work;

    @BeforeAll
    static void prepare() throws Exception {
        SmallDatabase.create(pg, "app");
        s3.createBucket("packaged");
    }


    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private Run dbsnap(String... args) throws Exception {
        Process process = start(s3.endpoint().toString(), args);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Run(process.exitValue(), Files.readString(work.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(work.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    private Process start(String endpoint, String... args) throws Exception {
        Path launcher = Path.of("src/main/sh/dbsnap").toAbsolutePath();
        Path jar = Path.of("target/dbsnap.jar").toAbsolutePath();
        assertThat(jar).exists();
        // the launcher finds the jar relative to itself: lay out bin/ and cli/target/ like a checkout
        Path home = work.resolve("home");
        if (!Files.exists(home)) {
            Files.createDirectories(home.resolve("bin"));
            Files.createDirectories(home.resolve("cli"));
            Files.copy(launcher, home.resolve("bin/dbsnap"));
            home.resolve("bin/dbsnap").toFile().setExecutable(true);
            Files.createSymbolicLink(home.resolve("cli/target"), jar.getParent());
        }
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/dbsnap").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
        builder.environment().putAll(Map.of(
                "AWS_ENDPOINT_URL", endpoint,
                "AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY,
                "DBSNAP_STORE", "s3://packaged/it"));
        builder.redirectOutput(work.resolve("out.txt").toFile()).redirectError(work.resolve("err.txt").toFile());
        return builder.start();
    }

    @Test
    void theLauncherUsesItsClassDataArchiveOnlyWithItsOwnJdkAndNeverOlderThanTheJar() throws Exception {
        // installed under a folder with a space, as $PREFIX/bin and $PREFIX/lib/dbsnap
        Path home = work.resolve("my apps");
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("lib/dbsnap"));
        Files.copy(Path.of("src/main/sh/dbsnap"), home.resolve("bin/dbsnap"));
        home.resolve("bin/dbsnap").toFile().setExecutable(true);
        Path jar = Files.copy(Path.of("target/dbsnap.jar"), home.resolve("lib/dbsnap/dbsnap.jar"));
        Files.createSymbolicLink(home.resolve("lib/dbsnap/lib"), Path.of("target/lib").toAbsolutePath());
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        // not a real archive: the JVM refuses it and starts without; what is checked is whether the launcher offers it
        Path jsa = Files.writeString(home.resolve("lib/dbsnap/dbsnap.jsa"), "not an archive");
        Path stamp = home.resolve("lib/dbsnap/dbsnap.jsa.stamp");
        String javaPath = shell("readlink -f \"$(command -v java)\"").strip();
        String runtime = Files.readAllLines(Path.of(javaPath).getParent().getParent().resolve("release")).stream()
                .filter(line -> line.startsWith("JAVA_RUNTIME_VERSION=")).findFirst().orElseThrow()
                .substring("JAVA_RUNTIME_VERSION=".length());

        Files.writeString(stamp, javaPath + " " + runtime + "\n");
        assertThat(traced(home)).contains("-XX:SharedArchiveFile=" + jsa);
        Files.writeString(stamp, "/opt/other-jdk/bin/java \"17.0.1+12\"\n");
        assertThat(traced(home)).as("another JDK's archive").doesNotContain("SharedArchiveFile");
        Files.writeString(stamp, javaPath + " " + runtime + "\n");
        Files.setLastModifiedTime(jsa, FileTime.fromMillis(System.currentTimeMillis() - 120_000));
        assertThat(traced(home)).as("an archive older than the jar").doesNotContain("SharedArchiveFile");
        Files.delete(stamp);
        assertThat(traced(home)).as("no stamp").doesNotContain("SharedArchiveFile");
    }

    /** {@code dbsnap --version} through the launcher in {@code home}, traced: what it ran, after checking it worked. */
    private String traced(Path home) throws Exception {
        Process process = new ProcessBuilder("sh", "-x", home.resolve("bin/dbsnap").toString(), "--version")
                .redirectErrorStream(false).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(err).isZero();
        assertThat(out).contains("dbsnap 0.1.0");
        return err.lines().filter(line -> line.contains("exec java")).findFirst().orElseThrow();
    }

    private static String shell(String command) throws Exception {
        Process process = new ProcessBuilder("sh", "-c", command).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        return out;
    }

    @Test
    void theLauncherRunsEveryCommandAgainstS3() throws Exception {
        assertThat(dbsnap("--version").out()).contains("dbsnap 0.1.0");

        Run create = dbsnap("create", pg.url("app"), "--tag", "it");
        assertThat(create.exit()).as(create.err()).isZero();
        assertThat(create.out()).contains("created").contains("s3://packaged/it/");
        assertThat(create.all()).doesNotContain(pg.password());

        Run list = dbsnap("list", "--json");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("\"tag\" : \"it\"");

        Run verify = dbsnap("verify", "--all");
        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(verify.out()).startsWith("ok");

        Run restore = dbsnap("restore", pg.url("app_copy"), "--source", "127.0.0.1-" + pg.port() + "-app",
                "--tag", "it", "--force");
        assertThat(restore.exit()).as(restore.err()).isZero();
        assertThat(pg.psql("app_copy", "SELECT count(*) FROM items").strip()).isEqualTo("20000");

        Run failure = dbsnap("create", pg.url("missing"));
        assertThat(failure.exit()).isEqualTo(1);
        assertThat(failure.err()).startsWith("dbsnap: ").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aRunStoppedBySigtermAbortsItsUploadAndLeavesNoSnapshot() throws Exception {
        pg.createDatabase("big");
        PgSampleData.load(pg, "big");
        // 48 MB that do not compress, so pg_dump is still writing when the upload stalls
        pg.psql("big", "CREATE TABLE filler AS SELECT g, decode(md5(g::text) || md5((g + 1)::text), 'hex') AS b "
                + "FROM generate_series(1, 1500000) g");
        try (TcpProxy network = new TcpProxy(s3.endpoint().getPort())) {
            Process run = start(network.endpoint().toString(), "create", pg.url("big"), "--store", "s3://packaged/killed");
            // once the multipart upload is under way, stall the network so the run is caught mid-upload
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            boolean sawPgDump = false;
            while (s3.multipartUploads("packaged").isEmpty()) {
                assertThat(run.isAlive()).as("the run ended before its upload could be caught").isTrue();
                assertThat(System.nanoTime()).isLessThan(deadline);
                sawPgDump |= !pgDumpsOf("big").isEmpty() && dbsnapSessions("big").equals("1");
                Thread.sleep(5);
            }
            // the checks below saw the pg_dump while it ran (else their silence afterwards would prove nothing)
            assertThat(sawPgDump).as("the running pg_dump, found by its environment").isTrue();
            network.hold();
            run.destroy(); // SIGTERM, as Kubernetes sends it
            Thread.sleep(1000);
            network.release();
            assertThat(run.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(run.exitValue()).isNotZero();
        }
        assertThat(s3.multipartUploads("packaged")).isEmpty();
        assertThat(s3.keys("packaged")).noneMatch(k -> k.startsWith("killed/"));
        // an orphaned pg_dump is re-parented away from this JVM: look for it by its own identity, as a
        // process whose arguments name the database, and as a session the server still serves
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!pgDumpsOf("big").isEmpty() || !dbsnapSessions("big").equals("0")) {
            assertThat(System.nanoTime()).as("pg_dump of big still running: " + pgDumpsOf("big") + ", sessions "
                    + dbsnapSessions("big")).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static List<String> pgDumpsOf(String database) {
        return processesOf("pg_dump", database);
    }

    /** Live {@code tool} processes working on {@code database} (dbsnap names it in PGDATABASE, not in the arguments). */
    private static List<String> processesOf(String tool, String database) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(tool))
                .filter(p -> {
                    try {
                        return Arrays.asList(new String(Files.readAllBytes(Path.of("/proc", p.pid() + "", "environ")),
                                StandardCharsets.UTF_8).split("\0")).contains("PGDATABASE=" + database);
                    } catch (java.io.IOException gone) {
                        return false;
                    }
                })
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                .toList();
    }

    /** Whether a dbsnap session on {@code database} is in a transaction, running a COPY. */
    private static boolean copying(String database) {
        try {
            return !pg.psql("postgres", "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + database
                    + "' AND application_name = 'dbsnap' AND state = 'active' AND xact_start IS NOT NULL "
                    + "AND query ILIKE 'COPY%'").strip().equals("0");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Sessions dbsnap's tools (application_name dbsnap) still hold on {@code database}. */
    private static String dbsnapSessions(String database) {
        try {
            return pg.psql("postgres", "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + database
                    + "' AND application_name = 'dbsnap'").strip();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRestoreStoppedBySigtermRollsBackAndRemovesItsScratchFile() throws Exception {
        pg.createDatabase("heavy");
        // 48 MB that do not compress, so pg_restore is still loading when it is stopped
        pg.psql("heavy", "CREATE TABLE filler AS SELECT g, decode(md5(g::text) || md5((g + 1)::text), 'hex') AS b "
                + "FROM generate_series(1, 1500000) g");
        String store = "file://" + work.resolve("restore-store");
        Run create = dbsnap("create", pg.url("heavy"), "--store", store, "--json");
        assertThat(create.exit()).as(create.err()).isZero();
        String id = new com.fasterxml.jackson.databind.ObjectMapper().readTree(create.out()).get("id").asText();
        SmallDatabase.create(pg, "stopped");
        pg.psql("stopped", "CREATE TABLE filler (kept text); INSERT INTO filler VALUES ('the target''s own')");
        Map<String, String> before = io.dbsnap.core.testing.PgFingerprint.of(pg, "stopped");
        Path scratch = Files.createDirectories(work.resolve("scratch"));

        Process run = start(s3.endpoint().toString(), "restore", pg.url("stopped"), "--id", id, "--store", store,
                "--force", "--no-backup", "--scratch-dir", scratch.toString());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        // caught in the middle: pg_restore's session is loading the 48 MB table inside its transaction
        while (!copying("stopped")) {
            assertThat(run.isAlive()).as("the restore ended before pg_restore could be caught").isTrue();
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(5);
        }
        assertThat(processesOf("pg_restore", "stopped")).as("pg_restore, by its environment").isNotEmpty();
        run.destroy(); // SIGTERM
        assertThat(run.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(run.exitValue()).isNotZero();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!processesOf("pg_restore", "stopped").isEmpty() || !dbsnapSessions("stopped").equals("0")) {
            assertThat(System.nanoTime()).as("pg_restore still running: " + processesOf("pg_restore", "stopped"))
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(io.dbsnap.core.testing.PgFingerprint.of(pg, "stopped")).as("the target, rolled back")
                .isEqualTo(before);
        try (java.util.stream.Stream<Path> left = Files.list(scratch)) {
            assertThat(left).as("scratch files").isEmpty();
        }
    }
}
