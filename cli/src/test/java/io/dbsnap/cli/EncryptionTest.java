package io.dbsnap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbsnap.core.testing.DatabaseFingerprint;
import io.dbsnap.core.testing.MariaDbSampleData;
import io.dbsnap.core.testing.MariaDbServer;
import io.dbsnap.core.testing.PgSampleData;
import io.dbsnap.core.testing.RedisServer;
import io.dbsnap.core.testing.SqliteDatabase;
import io.dbsnap.core.testing.WithPostgresAndS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * age encryption end to end with real servers and the real age tool: every engine encrypted to two
 * recipients and restored with either identity; dbsnap's objects decrypted by {@code age -d}, and an
 * object {@code age -r} encrypted restored by dbsnap; and what an attacker or bad luck does to an
 * encrypted object (a flipped byte, a cut, a swapped object, a manifest rewritten to match, the wrong
 * key, no key) refused before the target is touched. No private key appears in a manifest or output.
 */
class EncryptionTest extends WithPostgresAndS3 {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    /** Two identities: one made by dbsnap keygen, one by age-keygen, each read by the other tool. */
    private record Keys(Path dbsnapKey, String dbsnapRecipient, Path ageKey, String ageRecipient) {
        String identity(Path file) throws IOException {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith("AGE-SECRET-KEY-1")).findFirst().orElseThrow();
        }
    }

    private Keys keys() throws Exception {
        Path dbsnapKey = work.resolve("dbsnap-key.txt");
        Cli.Result made = new Cli(work).run("keygen", "-o", dbsnapKey.toString()).assertOk();
        String dbsnapRecipient = made.err().strip().replace("Public key: ", "");
        assertThat(dbsnapRecipient).startsWith("age1");
        assertThat(made.all()).doesNotContain("AGE-SECRET-KEY");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dbsnapKey))).isEqualTo("rw-------");
        assertThat(new Cli(work).run("keygen", "-o", dbsnapKey.toString()).exit()).as("never overwritten").isEqualTo(1);
        assertThat(new Cli(work).run("keygen", "-y", dbsnapKey.toString()).assertOk().out().strip())
                .isEqualTo(dbsnapRecipient);

        Path ageKey = work.resolve("age-key.txt");
        run(List.of("age-keygen", "-o", ageKey.toString()), null);
        String ageRecipient = run(List.of("age-keygen", "-y", ageKey.toString()), null).strip();
        // each tool derives the same public key from the other's identity
        assertThat(run(List.of("age-keygen", "-y", dbsnapKey.toString()), null).strip()).isEqualTo(dbsnapRecipient);
        assertThat(new Cli(work).run("keygen", "-y", ageKey.toString()).assertOk().out().strip()).isEqualTo(ageRecipient);
        return new Keys(dbsnapKey, dbsnapRecipient, ageKey, ageRecipient);
    }

    @Test
    void everyEngineEncryptedToTwoRecipientsComesBackWithEitherIdentity() throws Exception {
        Keys keys = keys();
        pg.createDatabase("secret_shop");
        PgSampleData.load(pg, "secret_shop");
        Path sqlite = work.resolve("app.db");
        SqliteDatabase.create(sqlite);
        try (MariaDbServer maria = MariaDbServer.start(); RedisServer redis = RedisServer.start()) {
            maria.createDatabase("secret_shop");
            MariaDbSampleData.load(maria, "secret_shop");
            redis.cli("SET", "plain:text", "the-clear-text-value");
            redis.cli("HSET", "customer:1", "email", "ada@example.test");
            redis.cli("-n", "3", "RPUSH", "queue", "a", "b");

            record Case(String url, DatabaseFingerprint fingerprint, String change) {
            }
            List<Case> cases = List.of(
                    new Case(pg.url("secret_shop"), DatabaseFingerprint.postgres(pg, "secret_shop"), "pg"),
                    new Case(maria.url("secret_shop"), DatabaseFingerprint.mariadb(maria, "secret_shop"), "maria"),
                    new Case(redis.url(), DatabaseFingerprint.redis(redis), "redis"),
                    new Case("sqlite://" + sqlite, DatabaseFingerprint.sqlite(sqlite), "sqlite"));
            s3.createBucket("encrypted");
            Cli cli = new Cli(work).s3Store(s3, "s3://encrypted/prod");
            for (Case c : cases) {
                Map<String, String> original = c.fingerprint().take();
                Cli.Result created = cli.run("create", c.url(), "--json", "-r", keys.dbsnapRecipient(),
                        "--recipient", keys.ageRecipient()).assertOk();
                JsonNode manifest = JSON.readTree(created.out());
                assertThat(manifest.get("encryption").asText()).isEqualTo("age");
                assertThat(manifest.get("recipients")).extracting(JsonNode::asText)
                        .containsExactly(keys.dbsnapRecipient(), keys.ageRecipient());
                assertThat(manifest.get("files").get(0).get("name").asText()).endsWith(".zst.age");
                String id = manifest.get("id").asText();

                // without a key, the stored bytes are still checked, and it says what was not
                assertThat(cli.run("verify", "--id", id).assertOk().out()).contains("ok", "stored bytes checked");
                assertThat(cli.run("verify", "--id", id, "--identity", keys.ageKey().toString()).assertOk().out())
                        .contains("ok").doesNotContain("stored bytes checked");

                change(c.change(), pg, maria, redis, sqlite);
                assertThat(c.fingerprint().take()).as(c.change()).isNotEqualTo(original);
                cli.run("restore", c.url(), "--id", id, "--force", "-i", keys.dbsnapKey().toString()).assertOk();
                assertThat(c.fingerprint().take()).as(c.change() + " with dbsnap's identity").isEqualTo(original);

                change(c.change(), pg, maria, redis, sqlite);
                Cli.Result second = new Cli(work).s3Store(s3, "s3://encrypted/prod")
                        .env("DBSNAP_AGE_IDENTITY", keys.identity(keys.ageKey()))
                        .run("restore", c.url(), "--id", id, "--force").assertOk();
                assertThat(c.fingerprint().take()).as(c.change() + " with age's identity").isEqualTo(original);
                assertThat(second.all()).doesNotContain("AGE-SECRET-KEY");
            }
            // the safety snapshots of the targets are encrypted to the same recipients, never stored plain
            assertThat(manifests(cli)).hasSize(12);
            for (String manifest : manifests(cli)) {
                JsonNode m = JSON.readTree(manifest);
                assertThat(m.get("encryption").asText()).as(manifest).isEqualTo("age");
                assertThat(manifest).doesNotContain("AGE-SECRET-KEY").doesNotContain("age-key");
            }
        }
    }

    @Test
    void theAgeToolReadsDbsnapsObjectsAndDbsnapRestoresWhatTheAgeToolEncrypted() throws Exception {
        Keys keys = keys();
        Path db = work.resolve("app.db");
        SqliteDatabase.create(db);
        String original = SqliteDatabase.dump(db);
        Path store = work.resolve("store");
        Cli cli = new Cli(work).fileStore(store);
        cli.run("create", "sqlite://" + db, "-r", keys.dbsnapRecipient(), "-r", keys.ageRecipient()).assertOk();
        Path object = find(store, ".zst.age");

        // age -d | zstd -d gives back the database file, with either identity
        for (Path key : List.of(keys.dbsnapKey(), keys.ageKey())) {
            Path decrypted = work.resolve("decrypted-" + key.getFileName() + ".db");
            run(List.of("sh", "-c", "age -d -i \"$1\" \"$2\" | zstd -q -d -o \"$3\"", "sh", key.toString(),
                    object.toString(), decrypted.toString()), null);
            assertThat(SqliteDatabase.dump(decrypted)).isEqualTo(original);
        }

        // the other way: a plain snapshot's object encrypted by age -r, its manifest saying so, restored by dbsnap
        Path plainStore = work.resolve("plain-store");
        new Cli(work).fileStore(plainStore).run("create", "sqlite://" + db).assertOk();
        Path plain = find(plainStore, ".zst");
        Path byAge = plain.resolveSibling(plain.getFileName() + ".age");
        run(List.of("age", "-r", keys.dbsnapRecipient(), "-o", byAge.toString(), plain.toString()), null);
        Files.delete(plain);
        Path manifestFile = plain.resolveSibling("manifest.json");
        ObjectNode manifest = (ObjectNode) JSON.readTree(manifestFile.toFile());
        manifest.put("encryption", "age");
        manifest.putArray("recipients").add(keys.dbsnapRecipient());
        ObjectNode file = (ObjectNode) manifest.get("files").get(0);
        file.put("name", byAge.getFileName().toString());
        file.put("size", Files.size(byAge));
        file.put("sha256", sha256(byAge));
        JSON.writeValue(manifestFile.toFile(), manifest);

        Path restored = work.resolve("restored.db");
        Cli plainCli = new Cli(work).fileStore(plainStore);
        assertThat(plainCli.run("restore", "sqlite://" + restored, "--latest", "--source", sourceOf(plainCli),
                "-i", keys.ageKey().toString()).exit()).as("age's key is not a recipient of this one").isEqualTo(1);
        assertThat(Files.exists(restored)).isFalse();
        plainCli.run("restore", "sqlite://" + restored, "--latest", "--source", sourceOf(plainCli),
                "-i", keys.dbsnapKey().toString()).assertOk();
        assertThat(SqliteDatabase.dump(restored)).isEqualTo(original);
    }

    @Test
    void damagedSwappedOrUnreadableObjectsAreRefusedBeforeTheTargetIsTouched() throws Exception {
        Keys keys = keys();
        Path db = work.resolve("app.db");
        Path store = work.resolve("store");
        Cli cli = encryptedSqliteSnapshot(db, store, keys.dbsnapRecipient());
        String source = sourceOf(cli);
        Path object = find(store, ".zst.age");
        Path manifestFile = object.resolveSibling("manifest.json");
        byte[] good = Files.readAllBytes(object);
        String goodManifest = Files.readString(manifestFile);

        // the target holds data of its own, which every refused restore must leave as it is
        Path target = work.resolve("target.db");
        SqliteDatabase.create(target);
        SqliteDatabase.sql(target, "CREATE TABLE mine(x); INSERT INTO mine VALUES ('keep me');");
        String targetBefore = SqliteDatabase.dump(target);
        List<String> refusals = new ArrayList<>();
        Runnable restoreIsRefused = () -> {
            Cli.Result result = cli.run("restore", "sqlite://" + target, "--latest", "--source", source, "--force",
                    "-i", keys.dbsnapKey().toString());
            assertThat(result.exit()).as(result.all()).isEqualTo(1);
            refusals.add(result.err());
            try {
                assertThat(SqliteDatabase.dump(target)).isEqualTo(targetBefore);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            assertThat(result.out()).doesNotContain("pre-restore snapshot");
        };

        // one flipped byte, in the header (a stanza), in the first payload chunk, in the last
        for (int at : new int[]{40, good.length / 2, good.length - 3}) {
            byte[] bad = good.clone();
            bad[at] ^= 0x01;
            Files.write(object, bad);
            restoreIsRefused.run();
            assertThat(refusals.get(refusals.size() - 1)).as("byte " + at).contains("ChecksumMismatch");
        }
        // every byte of the header flipped in turn: always the checksum's refusal, never a stack trace
        int header = new String(good, 0, Math.min(good.length, 400), StandardCharsets.ISO_8859_1).indexOf("\n---") + 48;
        for (int at = 0; at < header; at++) {
            byte[] bad = good.clone();
            bad[at] ^= 0x20;
            Files.write(object, bad);
            Cli.Result verify = cli.run("verify", "--all", "-i", keys.dbsnapKey().toString());
            assertThat(verify.exit()).as("byte " + at).isEqualTo(1);
            assertThat(verify.out()).as("byte " + at).contains("FAILED", "ChecksumMismatch");
            assertThat(verify.all()).as("byte " + at).doesNotContain("unexpected");
        }
        Files.write(object, good);
        // cut short, and cut short with the manifest rewritten to match (only age's own check is left)
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 20);
        Files.write(object, cut);
        restoreIsRefused.run();
        assertThat(refusals.get(refusals.size() - 1)).contains("ChecksumMismatch");
        rewriteManifest(manifestFile, goodManifest, cut);
        restoreIsRefused.run();
        assertThat(refusals.get(refusals.size() - 1)).contains("does not authenticate", "altered or cut");
        // a flipped payload byte with a manifest that matches it: the chunk's authentication refuses it
        byte[] forged = good.clone();
        forged[good.length / 2] ^= 0x01;
        Files.write(object, forged);
        rewriteManifest(manifestFile, goodManifest, forged);
        restoreIsRefused.run();
        assertThat(refusals.get(refusals.size() - 1)).contains("does not authenticate");

        // another recipient's object swapped in, its manifest rewritten to match but still naming ours
        Path otherStore = work.resolve("other");
        new Cli(work).fileStore(otherStore).run("create", "sqlite://" + db, "-r", keys.ageRecipient()).assertOk();
        byte[] foreign = Files.readAllBytes(find(otherStore, ".zst.age"));
        Files.write(object, foreign);
        rewriteManifest(manifestFile, goodManifest, foreign);
        restoreIsRefused.run();
        assertThat(refusals.get(refusals.size() - 1)).contains("can decrypt");

        // the good object again: the wrong key, no key, a key file with no key in it
        Files.write(object, good);
        Files.writeString(manifestFile, goodManifest);
        Cli.Result wrong = cli.run("restore", "sqlite://" + target, "--latest", "--source", source, "--force",
                "-i", keys.ageKey().toString());
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).contains("none of the identities given", keys.ageRecipient(), keys.dbsnapRecipient());
        Cli.Result none = cli.run("restore", "sqlite://" + target, "--latest", "--source", source, "--force");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("age-encrypted to " + keys.dbsnapRecipient(), "--identity");
        Path junk = work.resolve("junk.txt");
        Files.writeString(junk, "AGE-SECRET-KEY-1THISISNOTAKEYATALL\n");
        Cli.Result junkKey = cli.run("restore", "sqlite://" + target, "--latest", "--source", source, "--force",
                "-i", junk.toString());
        assertThat(junkKey.exit()).isEqualTo(1);
        assertThat(junkKey.err()).contains("not a valid age identity").doesNotContain("THISISNOTAKEY");
        assertThat(SqliteDatabase.dump(target)).isEqualTo(targetBefore);

        // and restored with the right key, the object is what it was
        cli.run("restore", "sqlite://" + target, "--latest", "--source", source, "--force", "-i",
                keys.dbsnapKey().toString()).assertOk();
        assertThat(SqliteDatabase.dump(target)).isEqualTo(SqliteDatabase.dump(db));
    }

    @Test
    void theSafetySnapshotIsEncryptedToTheRestorersKeyNeverToOneAManifestAdds() throws Exception {
        Keys keys = keys();
        Path db = work.resolve("app.db");
        Path store = work.resolve("store");
        Cli cli = encryptedSqliteSnapshot(db, store, keys.dbsnapRecipient());
        String source = sourceOf(cli);
        // someone who can write the bucket adds a key of theirs to the manifest: the data still verifies
        String intruder = io.dbsnap.core.crypto.AgeKeys.generate().recipient();
        Path manifestFile = find(store, "manifest.json");
        ObjectNode manifest = (ObjectNode) JSON.readTree(manifestFile.toFile());
        ((ArrayNode) manifest.get("recipients")).add(intruder);
        JSON.writeValue(manifestFile.toFile(), manifest);
        Path target = work.resolve("target.db");
        SqliteDatabase.create(target);
        SqliteDatabase.sql(target, "CREATE TABLE mine(x); INSERT INTO mine VALUES ('production data');");
        cli.run("restore", "sqlite://" + target, "--latest", "--source", source, "--force", "-i",
                keys.dbsnapKey().toString()).assertOk();
        JsonNode safety = readJson(cli.run("list", "--json").assertOk().out());
        List<JsonNode> preRestore = new ArrayList<>();
        safety.forEach(n -> {
            if ("pre-restore".equals(n.path("tag").asText())) {
                preRestore.add(n);
            }
        });
        assertThat(preRestore).singleElement().satisfies(m -> {
            assertThat(m.get("encryption").asText()).isEqualTo("age");
            assertThat(m.get("recipients")).extracting(JsonNode::asText).containsExactly(keys.dbsnapRecipient());
        });

        // a plain snapshot restored by someone who holds a key: the safety copy is not left plain either
        Path plainStore = work.resolve("plain");
        Cli plain = new Cli(work).fileStore(plainStore);
        plain.run("create", "sqlite://" + db).assertOk();
        plain.run("restore", "sqlite://" + target, "--latest", "--source", sourceOf(plain), "--force", "-i",
                keys.ageKey().toString()).assertOk();
        JsonNode listed = readJson(plain.run("list", "--json").assertOk().out());
        List<String> encryptions = new ArrayList<>();
        listed.forEach(n -> encryptions.add(n.path("tag").asText() + ":" + n.path("encryption").asText()));
        assertThat(encryptions).containsExactlyInAnyOrder(":none", "pre-restore:age");
    }

    @Test
    void aKeyGivenWhereItsFileBelongsIsNeverRepeatedAndAWrongKeyFailsVerify() throws Exception {
        Keys keys = keys();
        Path db = work.resolve("app.db");
        SqliteDatabase.create(db);
        Cli cli = new Cli(work).fileStore(work.resolve("store"));
        cli.run("create", "sqlite://" + db, "-r", keys.dbsnapRecipient()).assertOk();
        String secret = keys.identity(keys.dbsnapKey());
        for (String[] args : new String[][]{{"verify", "--all", "-i", secret}, {"keygen", "-y", secret},
                {"restore", "sqlite://" + work.resolve("t.db"), "--latest", "--source", sourceOf(cli), "-i", secret},
                {"create", "sqlite://" + db, "-R", secret}}) {
            Cli.Result result = cli.run(args);
            assertThat(result.exit()).as(args[0]).isEqualTo(1);
            assertThat(result.all()).as(args[0]).contains("put it in a file").doesNotContain(secret.substring(16));
        }
        // a key that is not a recipient: verify fails rather than check less than it was asked to
        Cli.Result wrong = cli.run("verify", "--all", "-i", keys.ageKey().toString());
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.out()).contains("FAILED", "none of the identities given");
    }

    @Test
    void aBadRecipientStoresNothingAndAPrivateKeyGivenAsOneIsNeverEchoed() throws Exception {
        Keys keys = keys();
        Path db = work.resolve("app.db");
        SqliteDatabase.create(db);
        Path store = work.resolve("store");
        Cli cli = new Cli(work).fileStore(store);
        String secret = keys.identity(keys.dbsnapKey());
        for (String bad : List.of(secret, secret.toLowerCase(), "age1notarealkey", "ssh-ed25519 AAAAC3Nza", "")) {
            Cli.Result result = cli.run("create", "sqlite://" + db, "-r", bad);
            assertThat(result.exit()).as(bad).isEqualTo(1);
            assertThat(result.all()).doesNotContain(secret.substring(16, 30))
                    .doesNotContain(secret.toLowerCase().substring(16, 30));
        }
        Path emptyFile = work.resolve("recipients.txt");
        Files.writeString(emptyFile, "# nobody yet\n\n");
        assertThat(cli.run("create", "sqlite://" + db, "-R", emptyFile.toString()).err()).contains("names no age1");
        assertThat(Files.exists(store) ? Files.walk(store).filter(Files::isRegularFile).count() : 0).isZero();

        Files.writeString(emptyFile, "# the team\n" + keys.ageRecipient() + "\n  " + keys.dbsnapRecipient() + "  \n");
        JsonNode manifest = JSON.readTree(cli.run("create", "sqlite://" + db, "-R", emptyFile.toString(), "--json")
                .assertOk().out());
        assertThat(manifest.get("recipients")).extracting(JsonNode::asText)
                .containsExactly(keys.ageRecipient(), keys.dbsnapRecipient());
    }

    @Test
    void aManifestClaimingAnUnknownEncryptionOrNoRecipientsIsNeverReadAsPlain() throws Exception {
        Path db = work.resolve("app.db");
        SqliteDatabase.create(db);
        Path store = work.resolve("store");
        Cli cli = new Cli(work).fileStore(store);
        cli.run("create", "sqlite://" + db).assertOk();
        Path manifestFile = find(store, "manifest.json");
        String plain = Files.readString(manifestFile);
        for (String claim : List.of("\"encryption\" : \"aes-256-gcm\"", "\"encryption\" : \"age\"",
                "\"encryption\" : \"age\", \"recipients\" : [ \"not-a-key\" ]", "\"encryption\" : \"AGE\"")) {
            Files.writeString(manifestFile, plain.replace("\"encryption\" : \"none\"", claim));
            Cli.Result restore = cli.run("restore", "sqlite://" + work.resolve("r.db"), "--latest", "--source",
                    sourceOfAll(store), "--force");
            assertThat(restore.exit()).as(claim).isEqualTo(1);
            assertThat(Files.exists(work.resolve("r.db"))).isFalse();
            assertThat(cli.run("verify", "--all").all()).as(claim).contains("FAILED");
        }
    }

    private static void change(String which, io.dbsnap.core.testing.PostgresServer pg, MariaDbServer maria,
                               RedisServer redis, Path sqlite) throws Exception {
        switch (which) {
            // rows and objects of the snapshot change; a restore replaces what its snapshot holds
            case "pg" -> pg.psql("secret_shop", "DELETE FROM audit.events; UPDATE shop.customers SET name = 'changed'");
            case "maria" -> maria.sql("secret_shop", "DELETE FROM audit; UPDATE customers SET name = 'changed'");
            case "redis" -> {
                redis.cli("SET", "written:after", "x");
                redis.cli("DEL", "plain:text");
            }
            default -> SqliteDatabase.sql(sqlite, "CREATE TABLE after_snapshot(x); DELETE FROM people WHERE id > 5;");
        }
    }

    /** A SQLite database at {@code db} and one snapshot of it in {@code store}, encrypted to {@code recipient}. */
    private Cli encryptedSqliteSnapshot(Path db, Path store, String recipient) throws Exception {
        SqliteDatabase.create(db);
        Cli cli = new Cli(work).fileStore(store);
        cli.run("create", "sqlite://" + db, "-r", recipient).assertOk();
        return cli;
    }

    private static void rewriteManifest(Path manifestFile, String goodManifest, byte[] object) throws Exception {
        ObjectNode manifest = (ObjectNode) JSON.readTree(goodManifest);
        ObjectNode file = (ObjectNode) manifest.get("files").get(0);
        file.put("size", object.length);
        file.put("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(object)));
        JSON.writeValue(manifestFile.toFile(), manifest);
    }

    private List<String> manifests(Cli cli) {
        JsonNode list = readJson(cli.run("list", "--json").assertOk().out());
        List<String> ids = new ArrayList<>();
        ((ArrayNode) list).forEach(n -> ids.add(n.toString()));
        return ids;
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(text, e);
        }
    }

    private static String sourceOf(Cli cli) {
        JsonNode list = readJson(cli.run("list", "--json").assertOk().out());
        return list.get(0).get("source").get("namespace").asText() + "/" + list.get(0).get("source").get("name").asText();
    }

    private String sourceOfAll(Path store) throws IOException {
        Path manifest = find(store, "manifest.json");
        return store.relativize(manifest.getParent().getParent().getParent()) + "/"
                + manifest.getParent().getParent().getFileName();
    }

    private static Path find(Path root, String suffix) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).findFirst().orElseThrow();
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** A real tool (age, age-keygen, zstd); its output, or a failure with its stderr. */
    private String run(List<String> argv, byte[] stdin) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(argv).directory(work.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError(argv.get(0) + " is not installed (apt-get install -y age zstd): " + e.getMessage());
        }
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(argv + ": " + err).isZero();
        return out;
    }
}
