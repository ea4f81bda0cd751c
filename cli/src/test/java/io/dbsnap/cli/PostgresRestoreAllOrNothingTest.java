package io.dbsnap.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbsnap.core.testing.DatabaseFingerprint;
import io.dbsnap.core.testing.WithPostgresAndS3;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A PostgreSQL restore is all or nothing: when pg_restore fails part-way (the target holds an object
 * that keeps --clean from dropping a table), the restore fails, the target is exactly as it was
 * before (one transaction, rolled back), and the scratch copy of the dump is gone.
 */
class PostgresRestoreAllOrNothingTest extends WithPostgresAndS3 {

    @TempDir
    static Path work;
    private static String id;

    @BeforeAll
    static void snapshot() throws Exception {
        SmallDatabase.create(pg, "source");
        pg.psql("source", "CREATE TABLE later (n int); INSERT INTO later SELECT generate_series(1, 1000);");
        id = new ObjectMapper().readTree(new Cli(work).fileStore(work.resolve("store"))
                .run("create", pg.url("source"), "--json").assertOk().out()).get("id").asText();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // a view of the target depends on a table the snapshot replaces
            "CREATE VIEW depends_on_items AS SELECT id FROM items",
            // a table of the target references it
            "CREATE TABLE refs (item_id int REFERENCES items (id)); INSERT INTO refs VALUES (1)",
            // a view on the other table, so one of the two is dropped before the failure
            "CREATE VIEW depends_on_later AS SELECT n FROM later"})
    void aRestoreThatFailsPartWayLeavesTheTargetAsItWas(String blocker) throws Exception {
        String target = "target_" + Integer.toHexString(blocker.hashCode() & 0xfffffff);
        SmallDatabase.create(pg, target);
        pg.psql(target, "CREATE TABLE later (n int); INSERT INTO later VALUES (42);"
                + "DELETE FROM items WHERE id > 100; UPDATE items SET label = 'the target''s own';" + blocker);
        Map<String, String> before = DatabaseFingerprint.postgres(pg, target).take();
        Path scratch = Files.createDirectories(work.resolve("scratch-" + target));

        Cli.Result restore = new Cli(work).fileStore(work.resolve("store")).run("restore", pg.url(target), "--id", id,
                "--force", "--no-backup", "--scratch-dir", scratch.toString());

        assertThat(restore.exit()).as(restore.all()).isEqualTo(1);
        assertThat(restore.err()).startsWith("dbsnap: ").contains("pg_restore");
        assertThat(DatabaseFingerprint.postgres(pg, target).take()).as("the target after the failed restore")
                .isEqualTo(before);
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left).as("scratch files").isEmpty();
        }
    }
}
