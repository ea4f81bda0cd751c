package io.dbsnap.cli;

import io.dbsnap.core.testing.WithPostgresAndS3;
import io.dbsnap.core.testing.PgFingerprint;
import io.dbsnap.core.testing.PostgresServer;
import io.dbsnap.core.testing.S3Server;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.sync.RequestBody;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A damaged stored object is found by verify and refused by restore, before the database is touched. */
class CorruptionTest extends WithPostgresAndS3 {


    @TempDir
    Path work;

    @BeforeAll
    static void prepare() throws Exception {
        s3.createBucket("damaged");
    }


    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"file,flip", "s3,flip", "file,truncate", "s3,append", "file,rawsize", "s3,rawsize"})
    void verifyFailsAndRestoreRefusesWithoutTouchingTheDatabase(String store, String damage) throws Exception {
        String db = "victim_" + store + "_" + damage;
        SmallDatabase.create(pg, db);
        Cli cli = new Cli(work);
        if (store.equals("s3")) {
            cli.s3Store(s3, "s3://damaged/" + db);
        } else {
            cli.fileStore(work.resolve("store"));
        }
        String id = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(cli.run("create", pg.url(db), "--json").assertOk().out()).get("id").asText();
        assertThat(cli.run("verify", "--all").assertOk().out()).contains("ok      " + id);

        damage(store, db, damage);

        Cli.Result verify = cli.run("verify", "--id", id);
        assertThat(verify.exit()).isEqualTo(1);
        assertThat(verify.out()).contains("FAILED  " + id).contains("ChecksumMismatch");
        if (damage.equals("rawsize")) {
            // the SHA-256 of the stored object is right; only what it decompresses to disagrees
            assertThat(verify.out()).contains("decompresses to");
        }
        assertThat(verify.err()).contains("1 of 1 snapshot(s) failed verification");

        pg.psql(db, "UPDATE items SET label = 'changed since' WHERE id < 100");
        Map<String, String> before = PgFingerprint.of(pg, db);
        String listedBefore = cli.run("list").assertOk().out();

        Cli.Result restore = cli.run("restore", pg.url(db), "--id", id, "--force");
        assertThat(restore.exit()).isEqualTo(1);
        assertThat(restore.err()).startsWith("dbsnap: ChecksumMismatch: ").contains("was not used");
        assertThat(restore.err().strip().lines()).hasSize(1);
        assertThat(PgFingerprint.of(pg, db)).isEqualTo(before);
        // no pre-restore snapshot either: nothing happened at all
        assertThat(cli.run("list").assertOk().out()).isEqualTo(listedBefore);
        // and no scratch file was left behind
        try (var files = Files.list(work)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".restore"));
        }
    }

    /** Damages this case's own snapshot: its data object, or (rawsize) its manifest's raw size. */
    private void damage(String store, String db, String how) throws Exception {
        String suffix = how.equals("rawsize") ? "manifest.json" : ".zst";
        if (store.equals("file")) {
            try (var files = Files.walk(work.resolve("store"))) {
                Path object = files.filter(p -> p.toString().contains("-" + db) && p.toString().endsWith(suffix))
                        .findFirst().orElseThrow();
                Files.write(object, damaged(Files.readAllBytes(object), how));
            }
        } else {
            String key = s3.keys("damaged").stream().filter(k -> k.startsWith(db + "/") && k.endsWith(suffix))
                    .findFirst().orElseThrow();
            byte[] bytes = s3.client().getObjectAsBytes(b -> b.bucket("damaged").key(key)).asByteArray();
            s3.client().putObject(b -> b.bucket("damaged").key(key), RequestBody.fromBytes(damaged(bytes, how)));
        }
    }

    private static byte[] damaged(byte[] bytes, String how) {
        return switch (how) {
            case "flip" -> {
                byte[] copy = bytes.clone();
                copy[copy.length / 2] ^= 0x01;
                yield copy;
            }
            case "truncate" -> Arrays.copyOf(bytes, bytes.length - 100);
            case "append" -> Arrays.copyOf(bytes, bytes.length + 1);
            case "rawsize" -> {
                // one more raw byte than the dump holds; size and SHA-256 of the stored object stay right
                String manifest = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
                java.util.regex.Matcher raw = java.util.regex.Pattern.compile("\"rawSize\" : (\\d+)").matcher(manifest);
                if (!raw.find()) {
                    throw new IllegalStateException("no rawSize in " + manifest);
                }
                yield (manifest.substring(0, raw.start(1)) + (Long.parseLong(raw.group(1)) + 1)
                        + manifest.substring(raw.end(1))).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            default -> throw new IllegalArgumentException(how);
        };
    }
}
