package io.dbsnap.cli;

import io.dbsnap.core.testing.RedisServer;
import io.dbsnap.core.testing.WithPostgresAndS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dbsnap psql|redis-cli TARGET -- ARGS} against real servers: the arguments reach the client, its
 * exit status is dbsnap's, and the password travels in its environment, never on its command line.
 */
class DatabaseShellTest extends WithPostgresAndS3 {

    @TempDir
    Path work;

    @Test
    void psqlRunsWithTheUrlsCredentialsAndPassesArgumentsAndExitStatus() throws Exception {
        pg.createDatabase("shell db");
        Cli cli = new Cli(work);
        Cli.Result ok = cli.run("psql", pg.url("shell db"), "--", "-At", "-c", "select current_database(), 41 + 1");
        assertThat(ok.exit()).as(ok.all()).isZero();
        assertThat(ok.out().strip()).isEqualTo("shell db|42");

        Cli.Result failed = cli.run("psql", pg.url("shell db"), "--", "-c", "select * from missing_table");
        assertThat(failed.exit()).isNotZero();
        assertThat(failed.err()).contains("missing_table");

        assertThat(cli.run("psql", pg.url("shell db"), "--database", "postgres", "--", "-At", "-c",
                "select current_database()").out().strip()).isEqualTo("postgres");
    }

    @Test
    void thePasswordIsInTheClientsEnvironmentNotItsArguments() throws Exception {
        Path bin = Files.createDirectories(work.resolve("bin"));
        Path fake = bin.resolve("psql");
        Files.writeString(fake, "#!/bin/sh\necho \"args: $*\"\necho \"password set: ${PGPASSWORD:+yes}\"\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Cli cli = new Cli(work).env("PATH", bin + ":" + System.getenv("PATH"));
        Cli.Result result = cli.run("psql", "postgresql://app:s3cret-pw@db.example:5433/orders", "--", "-c", "select 1");
        assertThat(result.out()).contains("args: -c select 1", "password set: yes").doesNotContain("s3cret-pw");
    }

    @Test
    void redisCliAndTheWrongClientForAnEngine() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            Cli cli = new Cli(work);
            Cli.Result pong = cli.run("redis-cli", redis.url(), "--", "PING");
            assertThat(pong.exit()).as(pong.all()).isZero();
            assertThat(pong.out().strip()).isEqualTo("PONG");
            Cli.Result wrong = cli.run("psql", redis.url());
            assertThat(wrong.exit()).isEqualTo(1);
            assertThat(wrong.err()).contains("is a redis database: use dbsnap redis-cli");
            assertThat(wrong.all()).doesNotContain(redis.password());
        }
    }

    @Test
    void clusterFlagsForAUrlAreRefused() {
        Cli.Result result = new Cli(work).run("psql", pg.url("postgres"), "-n", "prod");
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains("are for a pod");
    }
}
