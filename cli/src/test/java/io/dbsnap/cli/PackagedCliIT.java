package io.dbsnap.cli;

import io.dbsnap.core.testing.PostgresServer;
import io.dbsnap.core.testing.S3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged launcher and jar, run as separate processes the way a user runs them: catches
 * what in-process tests cannot, such as a runtime dependency missing from the package.
 */
class PackagedCliIT {

    static PostgresServer pg;
    static S3Server s3;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        pg = PostgresServer.start();
        SmallDatabase.create(pg, "app");
        s3 = S3Server.start();
        s3.createBucket("packaged");
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
        pg.close();
    }

    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private Run dbsnap(String... args) throws Exception {
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
                "AWS_ENDPOINT_URL", s3.endpoint().toString(),
                "AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY,
                "DBSNAP_STORE", "s3://packaged/it"));
        builder.redirectOutput(work.resolve("out.txt").toFile()).redirectError(work.resolve("err.txt").toFile());
        Process process = builder.start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Run(process.exitValue(), Files.readString(work.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(work.resolve("err.txt"), StandardCharsets.UTF_8));
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
}
