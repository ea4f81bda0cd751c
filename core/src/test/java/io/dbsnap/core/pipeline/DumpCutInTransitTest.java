package io.dbsnap.core.pipeline;

import io.dbsnap.core.catalog.SnapshotCatalog;
import io.dbsnap.core.engine.Engines;
import io.dbsnap.core.store.FileObjectStore;
import io.dbsnap.core.database.DatabaseTarget;
import io.dbsnap.core.database.TargetParser;
import io.dbsnap.core.testing.LosingRunner;
import io.dbsnap.core.testing.MariaDbSampleData;
import io.dbsnap.core.testing.MariaDbServer;
import io.dbsnap.core.testing.PgSampleData;
import io.dbsnap.core.testing.RedisSampleData;
import io.dbsnap.core.testing.RedisServer;
import io.dbsnap.core.testing.SqliteDatabase;
import io.dbsnap.core.testing.WithPostgresAndS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every engine's dump, from a real server, arriving shorter than it was written while the dump still
 * exits 0: never stored. Through a transport that can lose bytes the count and hash taken at the
 * source find it; where an engine's format has an end, the end is checked as well.
 */
class DumpCutInTransitTest extends WithPostgresAndS3 {

    private static MariaDbServer mariadb;
    private static RedisServer redis;
    @TempDir
    static Path files;
    @TempDir
    Path storeDir;

    @BeforeAll
    static void startServers() throws Exception {
        pg.createDatabase("orders");
        PgSampleData.load(pg, "orders");
        mariadb = MariaDbServer.start();
        mariadb.createDatabase("shop");
        MariaDbSampleData.load(mariadb, "shop");
        redis = RedisServer.start();
        RedisSampleData.load(redis);
        SqliteDatabase.create(files.resolve("app.db"));
    }

    @AfterAll
    static void stopServers() throws Exception {
        for (AutoCloseable server : new AutoCloseable[]{mariadb, redis}) {
            if (server != null) {
                server.close();
            }
        }
    }

    static Stream<String> engines() {
        return Stream.of("postgresql", "mariadb", "redis", "sqlite");
    }

    static Stream<Arguments> enginesAndLosses() {
        return engines().flatMap(e -> Stream.of(1, 9, 4096, 50_000).map(lost -> Arguments.of(e, lost)));
    }

    private static String url(String engine) {
        return switch (engine) {
            case "postgresql" -> pg.url("orders");
            case "mariadb" -> mariadb.url("shop");
            case "redis" -> redis.url();
            case "sqlite" -> "sqlite://" + files.resolve("app.db");
            default -> throw new IllegalArgumentException(engine);
        };
    }

    @ParameterizedTest(name = "{0} losing its last {1} bytes")
    @MethodSource("enginesAndLosses")
    void aDumpCutInTransitIsNeverStored(String engine, int lost) throws Exception {
        DatabaseTarget target = TargetParser.parse(url(engine));
        SnapshotWriter writer = new SnapshotWriter(new LosingRunner(lost, true), Clock.systemUTC());

        assertThatThrownBy(() -> writer.take(Engines.forTarget(target), target, new FileObjectStore(storeDir),
                SnapshotRequest.named("cut"), TransferListener.NONE))
                .isInstanceOf(DumpIncompleteException.class)
                .hasMessageMatching(".* wrote (\\d+) bytes at the source but \\d+ arrived \\(the stream was cut\\); "
                        + "nothing was stored")
                .satisfies(e -> {
                    // the two counts differ by exactly what was lost
                    var numbers = e.getMessage().replaceAll("[^0-9 ]", " ").trim().split("\\s+");
                    List<Long> counts = new ArrayList<>();
                    for (String n : numbers) {
                        counts.add(Long.parseLong(n));
                    }
                    assertThat(counts.get(counts.size() - 2) - counts.get(counts.size() - 1)).isEqualTo(lost);
                });
        assertNothingStored();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mariadb", "redis", "sqlite"})
    void withoutASourceCountTheFormatsOwnEndFindsTheCut(String engine) throws Exception {
        DatabaseTarget target = TargetParser.parse(url(engine));
        for (int lost : new int[]{1, 17, 4096}) {
            SnapshotWriter writer = new SnapshotWriter(new LosingRunner(lost, false), Clock.systemUTC());
            assertThatThrownBy(() -> writer.take(Engines.forTarget(target), target, new FileObjectStore(storeDir),
                    SnapshotRequest.named("cut"), TransferListener.NONE))
                    .as("%s losing %d bytes", engine, lost)
                    .isInstanceOf(DumpIncompleteException.class).hasMessageContaining("nothing was stored");
            assertNothingStored();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void aWholeDumpThroughTheSameCheckIsStored(String engine) {
        DatabaseTarget target = TargetParser.parse(url(engine));
        FileObjectStore store = new FileObjectStore(storeDir);
        new SnapshotWriter(new LosingRunner(0, true), Clock.systemUTC()).take(Engines.forTarget(target), target, store,
                SnapshotRequest.named("whole"), TransferListener.NONE);

        List<String> warnings = new ArrayList<>();
        var listed = new SnapshotCatalog(store, warnings::add).list();
        assertThat(listed).hasSize(1);
        assertThat(warnings).isEmpty();
        new SnapshotReader(store).verify(listed.get(0), TransferListener.NONE);
    }

    private void assertNothingStored() throws Exception {
        assertThat(new SnapshotCatalog(new FileObjectStore(storeDir), w -> { }).list()).isEmpty();
        try (var stored = Files.walk(storeDir)) {
            assertThat(stored.filter(Files::isRegularFile)).as("files in the store").isEmpty();
        }
    }
}
