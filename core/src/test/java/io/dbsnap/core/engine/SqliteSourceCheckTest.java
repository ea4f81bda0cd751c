package io.dbsnap.core.engine;

import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.catalog.SnapshotCatalog;
import io.dbsnap.core.pipeline.SnapshotRequest;
import io.dbsnap.core.pipeline.SnapshotWriter;
import io.dbsnap.core.pipeline.TransferListener;
import io.dbsnap.core.process.Command;
import io.dbsnap.core.process.LocalProcessRunner;
import io.dbsnap.core.process.ProcessRunner;
import io.dbsnap.core.store.FileObjectStore;
import io.dbsnap.core.database.DatabaseTarget;
import io.dbsnap.core.database.TargetParser;
import io.dbsnap.core.testing.SqliteDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A SQLite snapshot reads only SQLite databases: whatever the path names (a token, the kernel's
 * files, a text file called app.db), nothing else is copied; and without sqlite3 the file is copied
 * as it is only when the user allowed it.
 */
class SqliteSourceCheckTest {

    @TempDir
    Path dir;

    @Test
    void onlySqliteDatabasesAreEverRead() throws Exception {
        Path text = dir.resolve("app.db");
        Files.writeString(text, "SECRET=do-not-copy\n");
        Path empty = Files.createFile(dir.resolve("empty.db"));
        Path toEnviron = Files.createSymbolicLink(dir.resolve("environ.db"), Path.of("/proc/self/environ"));
        Path toDev = Files.createSymbolicLink(dir.resolve("dev.db"), Path.of("/dev/zero"));
        Path almost = dir.resolve("almost.db");
        Files.writeString(almost, "SQLite format 2\0 not quite");

        for (Path bad : List.of(text, empty, toEnviron, toDev, almost, Path.of("/proc/self/environ"),
                Path.of("/sys/kernel/mm/transparent_hugepage/enabled"), Path.of("/etc/passwd"))) {
            assertThatThrownBy(() -> snapshot(new LocalProcessRunner(), "sqlite://" + bad)).as(bad.toString())
                    .isInstanceOf(DbsnapException.class)
                    .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("is not a SQLite database",
                            "is not a database file a snapshot may read", "no SQLite database file"));
            assertNothingStored();
        }
        Path db = dir.resolve("real.db");
        SqliteDatabase.create(db);
        snapshot(new LocalProcessRunner(), "sqlite://" + db);
    }

    @Test
    void withoutSqlite3APlainCopyHappensOnlyWhenAllowed() throws Exception {
        Path db = dir.resolve("app.db");
        SqliteDatabase.create(db);
        ProcessRunner noSqlite3 = withoutSqlite3();

        assertThatThrownBy(() -> snapshot(noSqlite3, "sqlite://" + db)).hasMessageContaining("no sqlite3")
                .hasMessageContaining("allowPlainCopy");
        assertNothingStored();
        assertThatThrownBy(() -> snapshot(noSqlite3, "sqlite://" + db + "?allowPlainCopy=false"))
                .hasMessageContaining("allowPlainCopy");
        assertThatThrownBy(() -> Engines.forTarget(TargetParser.parse("sqlite://" + db + "?allowPlainCopy=yes")))
                .hasMessageContaining("takes only allowPlainCopy=true|false");

        Manifest plain = snapshot(noSqlite3, "sqlite://" + db + "?allowPlainCopy=true");
        assertThat(plain.engineVersion()).isEqualTo(SqliteEngine.NO_SQLITE3);
        assertThat(plain.dataFile().rawSize()).isEqualTo(Files.size(db));
        // and a text file is still refused without sqlite3 to notice
        Path text = dir.resolve("notes.db");
        Files.writeString(text, "not a database");
        assertThatThrownBy(() -> snapshot(noSqlite3, "sqlite://" + text + "?allowPlainCopy=true"))
                .hasMessageContaining("is not a SQLite database");
    }

    private Manifest snapshot(ProcessRunner runner, String url) {
        DatabaseTarget target = TargetParser.parse(url);
        return new SnapshotWriter(runner, Clock.systemUTC()).take(Engines.forTarget(target), target,
                new FileObjectStore(dir.resolve("store")), SnapshotRequest.named("check"), TransferListener.NONE);
    }

    private void assertNothingStored() {
        assertThat(new SnapshotCatalog(new FileObjectStore(dir.resolve("store")), w -> { }).list()).isEmpty();
    }

    /** Commands run with a PATH that has the usual tools but no sqlite3, as in many application images. */
    private ProcessRunner withoutSqlite3() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : List.of("sh", "readlink", "head", "tr", "mktemp", "dirname", "cat", "rm", "wc", "cut",
                "sha256sum")) {
            Path found = Path.of("/usr/bin", tool);
            Files.createSymbolicLink(bin.resolve(tool), Files.exists(found) ? found : Path.of("/bin", tool));
        }
        LocalProcessRunner local = new LocalProcessRunner();
        return command -> {
            Map<String, String> env = new HashMap<>(command.env());
            env.put("PATH", bin.toString());
            return local.start(new Command(command.argv(), env, command.secrets()));
        };
    }
}
