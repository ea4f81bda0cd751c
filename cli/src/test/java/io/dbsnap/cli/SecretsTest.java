package io.dbsnap.cli;

import io.dbsnap.core.testing.WithPostgresAndS3;
import io.dbsnap.core.testing.PostgresServer;
import io.dbsnap.core.testing.S3Server;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The password of a TARGET URL and the S3 secret key never appear in output, errors or manifests. */
class SecretsTest extends WithPostgresAndS3 {


    @TempDir
    Path work;

    @BeforeAll
    static void prepare() throws Exception {
        SmallDatabase.create(pg, "app");
        s3.createBucket("secrets");
    }


    @Test
    void noCommandPrintsOrStoresThePassword() throws Exception {
        String password = pg.password();
        Cli file = new Cli(work).fileStore(work.resolve("store"));
        Cli s3cli = new Cli(work).s3Store(s3, "s3://secrets/p");
        List<Cli.Result> results = new ArrayList<>();
        for (Cli cli : List.of(file, s3cli)) {
            results.add(cli.run("create", pg.url("app"), "--tag", "t"));
            results.add(cli.run("create", pg.url("app"), "--json"));
            results.add(cli.run("list"));
            results.add(cli.run("list", "--json"));
            results.add(cli.run("verify", "--all"));
            results.add(cli.run("restore", pg.url("app_copy"), "--source", "127.0.0.1-" + pg.port() + "-app",
                    "--latest", "--force"));
            results.add(cli.run("restore", pg.url("app"), "--latest", "--dry-run"));
            results.add(cli.run("prune", "--keep", "1", "--dry-run"));
            // failures print messages built from the URL and from the tools' stderr
            results.add(cli.run("create", pg.url("does_not_exist")));
            results.add(cli.run("create", pg.url("app").replace("/app", "/app?sslmod=x")));
            results.add(cli.run("restore", pg.url("app"), "--id", "nope", "--force"));
        }
        results.add(s3cli.run("create", pg.url("app"), "--store", "s3://missing-bucket/x"));
        for (Cli.Result result : results) {
            assertThat(result.all()).doesNotContain(password).doesNotContain(S3Server.SECRET_KEY);
        }
        // what ran, ran as it should on both stores: the output scanned is that of real work and real errors
        int perStore = 11;
        for (int store = 0; store < 2; store++) {
            for (int i = 0; i < 8; i++) {
                Cli.Result ok = results.get(store * perStore + i);
                assertThat(ok.exit()).as(ok.all()).isZero();
            }
            for (int i = 8; i < perStore; i++) {
                Cli.Result failed = results.get(store * perStore + i);
                assertThat(failed.exit()).as(failed.all()).isNotZero();
                assertThat(failed.err()).startsWith("dbsnap: ");
            }
            assertThat(results.get(store * perStore).out()).contains("postgres:****@");
        }
        assertThat(results.get(2 * perStore).err()).contains("missing-bucket");

        List<String> manifests = StoredManifests.read(work.resolve("store"), s3, "secrets");
        // two creates per store (and a pre-restore snapshot where app_copy already existed)
        assertThat(manifests).as("manifests scanned, local and on S3").hasSizeGreaterThanOrEqualTo(4);
        assertThat(manifests).allSatisfy(m -> assertThat(m).doesNotContain(password).doesNotContain("postgres:")
                .doesNotContain(S3Server.SECRET_KEY).contains("\"engine\" : \"postgresql\""));
    }

    @Test
    void aWrongPasswordIsNotEchoedEither() {
        Cli.Result r = new Cli(work).fileStore(work.resolve("store2"))
                .run("create", "postgresql://postgres:Wr0ng%40pass@127.0.0.1:" + pg.port() + "/app");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.all()).doesNotContain("Wr0ng").contains("password authentication failed");
    }

    @Test
    void usageErrorsDoNotEchoTheTarget() {
        Cli cli = new Cli(work).fileStore(work.resolve("store3"));
        for (String[] args : new String[][]{
                {"crate", "postgresql://u:hunter2@h/db"},
                {"create", "postgresql://u:hunter2@h/db", "--bogus"},
                {"create", "postgresql://u:hun/ter2@h/db"},
                {"create", "postgresql://u@h/db?password=hunter2&sslmod=x"}}) {
            Cli.Result r = cli.run(args);
            assertThat(r.exit()).isNotZero();
            assertThat(r.all()).doesNotContain("hunter2").doesNotContain("ter2");
        }
    }
}
