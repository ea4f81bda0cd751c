package io.dbsnap.cli;

import io.dbsnap.core.testing.WithPostgresAndS3;
import io.dbsnap.core.testing.PostgresServer;
import io.dbsnap.core.testing.S3Server;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input gets one clear line on stderr, a non-zero exit, no stack trace, and changes nothing. */
class BadInputTest extends WithPostgresAndS3 {


    @TempDir
    Path work;

    @BeforeAll
    static void prepare() throws Exception {
        SmallDatabase.create(pg, "app");
    }


    private Cli.Result fails(Cli cli, String expected, String... args) {
        Cli.Result result = cli.run(args);
        assertThat(result.exit()).as(result.all()).isNotZero();
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("dbsnap: ").contains(expected);
        assertThat(result.err()).doesNotContain("Exception", "\tat ", "at io.dbsnap", "at java.");
        return result;
    }

    private Cli cli() {
        return new Cli(work).fileStore(work.resolve("store"));
    }

    @Test
    void malformedUrl() {
        Cli.Result r = fails(cli(), "malformed TARGET", "create", "localhost:5432/app");
        assertThat(r.err().strip().lines()).hasSize(1);
        fails(cli(), "malformed TARGET", "create", "postgresql://u:p@host:notaport/app");
    }

    @Test
    void unknownScheme() {
        Cli.Result r = fails(cli(), "unknown scheme 'oracle://'", "create", "oracle://scott:tiger@h/orcl");
        assertThat(r.err()).contains("postgresql://").doesNotContain("tiger");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void missingDatabaseNameInUrl() {
        fails(cli(), "names no database", "create", "postgresql://127.0.0.1:" + pg.port());
    }

    @Test
    void missingBucketIsNamedAndNothingIsStored() {
        List<String> bucketsBefore = s3.client().listBuckets().buckets().stream().map(b -> b.name()).toList();
        Cli cli = new Cli(work).s3Store(s3, "s3://no-such-bucket/prefix");
        Cli.Result r = fails(cli, "bucket 'no-such-bucket' does not exist", "create", pg.url("app"));
        assertThat(r.err().strip().lines()).hasSize(1);
        // the store is checked before the database is read: no bucket made, nothing written anywhere
        assertThat(s3.client().listBuckets().buckets().stream().map(b -> b.name()).toList())
                .containsExactlyInAnyOrderElementsOf(bucketsBefore);
        for (String bucket : bucketsBefore) {
            assertThat(s3.multipartUploads(bucket)).as("uploads in " + bucket).isEmpty();
        }
    }

    @Test
    void missingS3CredentialsSayWhatToSet() {
        // no AWS_* keys: the SDK's default chain finds nothing (instance metadata is off in tests)
        Cli cli = new Cli(work).env("DBSNAP_STORE", "s3://snaps/x").env("AWS_ENDPOINT_URL", s3.endpoint().toString());
        Cli.Result r = fails(cli, "no S3 credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", "list");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void unreachableStore() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Cli cli = cli().env("AWS_ACCESS_KEY_ID", "a").env("AWS_SECRET_ACCESS_KEY", "b");
        fails(cli, "cannot open s3://snaps at http://127.0.0.1:" + closed, "create", pg.url("app"),
                "--store", "s3://snaps/x", "--s3-endpoint", "http://127.0.0.1:" + closed);
    }

    @Test
    void unknownStoreScheme() {
        fails(cli(), "unknown store scheme", "list", "--store", "ftp://host/dir");
    }

    @Test
    void unreachableDatabase() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Cli.Result r = fails(cli(), "connecting to postgresql://postgres:****@127.0.0.1:" + closed + "/app failed",
                "create", "postgresql://postgres:secret-pw@127.0.0.1:" + closed + "/app");
        assertThat(r.err()).contains("Connection refused").contains("Is the server running").doesNotContain("secret-pw");
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(work.resolve("store")).satisfiesAnyOf(
                p -> assertThat(p).doesNotExist(),
                p -> assertThat(Files.list(p)).isEmpty());
    }

    @Test
    void wrongPassword() {
        Cli.Result r = fails(cli(), "password authentication failed for user \"postgres\"",
                "create", "postgresql://postgres:wrong-password@127.0.0.1:" + pg.port() + "/app");
        assertThat(r.err()).doesNotContain("wrong-password");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void databaseThatDoesNotExist() {
        fails(cli(), "database \"nope\" does not exist", "create", pg.url("nope"));
    }

    @Test
    void restoreWithoutAnySnapshotSaysWhatToDo() {
        fails(cli(), "no snapshot of source local/127.0.0.1-" + pg.port() + "-app; run 'dbsnap list'",
                "restore", pg.url("app"), "--latest", "--force");
    }

    @Test
    void usageErrorsExitTwoWithAHint() {
        Cli.Result r = cli().run("restore", pg.url("app"));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Error: Missing required argument").contains("dbsnap restore --help");
        Cli.Result unknown = cli().run("frobnicate");
        assertThat(unknown.exit()).isEqualTo(2);
        Cli.Result badJobs = cli().run("restore", pg.url("app"), "--latest", "--jobs", "0");
        assertThat(badJobs.exit()).isEqualTo(2);
        assertThat(badJobs.err()).contains("--jobs must be 1 or more");
        Cli.Result badCompression = cli().run("create", pg.url("app"), "--compress", "lz4");
        assertThat(badCompression.exit()).isEqualTo(1);
        assertThat(badCompression.err()).contains("unknown compression 'lz4'");
    }
}
