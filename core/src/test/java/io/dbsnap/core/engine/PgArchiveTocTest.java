package io.dbsnap.core.engine;

import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.testing.PgSampleData;
import io.dbsnap.core.testing.PostgresServer;
import io.dbsnap.core.testing.TestProcesses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Java reader of an archive's table of contents agrees with {@code pg_restore --list} on real dumps,
 * and the end it finds after the data blocks is the archive's last byte.
 */
class PgArchiveTocTest {

    static PostgresServer pg;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        pg = PostgresServer.start();
        pg.createDatabase("sample");
        PgSampleData.load(pg, "sample");
        pg.createDatabase("odd names");
        pg.psql("odd names", """
                CREATE SCHEMA "my schema";
                CREATE TABLE "my schema"."a table" (id int);
                CREATE TABLE "my schema"."a table old" (id int);
                CREATE TABLE public."Ünïcødé 🚀" (v text);
                CREATE SEQUENCE "my schema"."seq with space";
                CREATE VIEW public."v'quote" AS SELECT 1 AS one;
                CREATE MATERIALIZED VIEW public.mv AS SELECT 2 AS two;
                CREATE TABLE public.parted (k int) PARTITION BY RANGE (k);
                CREATE TABLE public.parted_1 PARTITION OF public.parted FOR VALUES FROM (0) TO (10);
                """);
        pg.createDatabase("empty");
        pg.createDatabase("large objects");
        pg.psql("large objects", "CREATE TABLE docs (id int, doc oid); INSERT INTO docs SELECT i, "
                + "lo_from_bytea(0, convert_to(repeat('page ' || i, 20000), 'UTF8')) FROM generate_series(1, 5) i");
    }

    @AfterAll
    static void stop() throws Exception {
        pg.close();
    }

    @Test
    void readsWhatPgRestoreListsFromPipedAndFileDumps() throws Exception {
        for (String database : List.of("sample", "odd names", "empty")) {
            for (boolean piped : List.of(true, false)) {
                Path archive = dump(database, piped);
                List<PgRestoreCheck.Listed> expected = PgListing.listed(list(archive));
                List<PgRestoreCheck.Listed> read = PgRestoreCheck.listed(PgArchiveToc.read(archive));
                assertThat(read).as(database + (piped ? " piped" : " to a file")).isEqualTo(expected);
                if (!database.equals("empty")) {
                    assertThat(read).isNotEmpty();
                }
            }
        }
    }

    @Test
    void aCutOrForeignHeadIsAClearFailure() throws Exception {
        byte[] archive = Files.readAllBytes(dump("odd names", true));
        for (int cut : List.of(0, 3, 5, 12, 40, 200)) {
            byte[] head = Arrays.copyOf(archive, Math.min(cut, archive.length));
            assertThatThrownBy(() -> PgArchiveToc.read(new ByteArrayInputStream(head))).as("cut at " + cut)
                    .isInstanceOf(DbsnapException.class);
        }
        byte[] text = "-- PostgreSQL database dump\n".getBytes();
        assertThatThrownBy(() -> PgArchiveToc.read(new ByteArrayInputStream(text)))
                .hasMessageContaining("not a custom-format archive");
        byte[] future = archive.clone();
        future[6] = 99;
        assertThatThrownBy(() -> PgArchiveToc.read(new ByteArrayInputStream(future)))
                .hasMessageContaining("archive version 1.99");
    }

    @Test
    void theEndFollowedThroughTheDataBlocksIsTheArchivesLastByte() throws Exception {
        java.util.Random random = new java.util.Random(42);
        for (String database : List.of("sample", "odd names", "empty", "large objects")) {
            for (boolean piped : List.of(true, false)) {
                byte[] archive = Files.readAllBytes(dump(database, piped));
                PgArchiveEnd end = new PgArchiveEnd(PgArchiveToc.layout(new ByteArrayInputStream(archive)));
                // in chunks of every size, as a stream delivers them
                for (int at = 0; at < archive.length; ) {
                    int n = Math.min(archive.length - at, 1 + random.nextInt(random.nextBoolean() ? 7 : 300_000));
                    byte[] chunk = Arrays.copyOfRange(archive, at, at + n);
                    assertThat(end.accept(chunk, 0, n)).as(database + " at " + at).isEqualTo(n);
                    assertThat(end.ended()).as(database + " ended early at " + at).isEqualTo(at + n == archive.length);
                    at += n;
                }
                assertThat(end.accept(new byte[]{0}, 0, 1)).as(database + ": a byte after the end").isZero();
                assertThat(end.damage()).contains("ends at byte " + archive.length);
            }
        }
    }

    @Test
    void aBrokenDataBlockIsRefusedWhereItBreaks() throws Exception {
        byte[] archive = Files.readAllBytes(dump("sample", true));
        PgArchiveToc.Layout layout = PgArchiveToc.layout(new ByteArrayInputStream(archive));
        byte[] broken = archive.clone();
        broken[(int) layout.length()] = 7; // the first block's type
        PgArchiveEnd end = new PgArchiveEnd(layout);
        assertThat(end.accept(broken, 0, broken.length)).isEqualTo((int) layout.length());
        assertThat(end.damage()).contains("unknown type 7");
    }

    private Path dump(String database, boolean piped) throws Exception {
        Path archive = dir.resolve(database.replace(' ', '_') + (piped ? ".piped" : ".file"));
        String pgDump = pg.tool("pg_dump") + " --format=custom --compress=0 -h 127.0.0.1 -p " + pg.port()
                + " -U postgres -d \"$1\"";
        String script = piped ? pgDump + " | cat > \"$2\"" : pgDump + " -f \"$2\"";
        TestProcesses.run(List.of("sh", "-c", script, "dump", PostgresEngine.conninfoDbname(database),
                archive.toString()), Map.of("PGPASSWORD", pg.password()), null);
        return archive;
    }

    private String list(Path archive) throws Exception {
        return TestProcesses.run(List.of(pg.tool("pg_restore").toString(), "--list", archive.toString()), Map.of(),
                null);
    }
}
