package io.dbsnap.core.catalog;

import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.api.manifest.ManifestFile;
import io.dbsnap.api.manifest.ManifestSource;
import io.dbsnap.core.DbsnapException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogSelectionTest {

    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    static SnapshotEntry entry(String source, String time, String name, String tag) {
        return entry(new ManifestSource("local", source, null, null, "h", 5432, "db-" + source), time, name, tag);
    }

    static SnapshotEntry entry(ManifestSource source, String time, String name, String tag) {
        Instant at = Instant.parse(time);
        String id = io.dbsnap.api.storage.SnapshotLayout.snapshotId(at, name);
        Manifest m = new Manifest(1, id, "postgresql", "15", source, at, at, tag, null, "0.1.0", "zstd", "none",
                List.of(new ManifestFile("pg.dump.zst", 10, 20, "0".repeat(64))));
        return new SnapshotEntry(m, source.namespace() + "/" + source.name() + "/" + id + "/");
    }

    @Test
    void twoDatabasesInOneFolderAreNeverMixed() {
        // e.g. written by an older dbsnap that lower-cased 'Orders' into the folder of 'orders'
        ManifestSource upper = new ManifestSource("local", "h-5432-orders", null, null, "h", 5432, "Orders");
        ManifestSource lower = new ManifestSource("local", "h-5432-orders", null, null, "h", 5432, "orders");
        List<SnapshotEntry> entries = List.of(entry(lower, "2026-11-01T00:00:00Z", "a", null),
                entry(upper, "2026-11-02T00:00:00Z", "b", null), entry(lower, "2026-11-03T00:00:00Z", "c", null),
                entry(upper, "2026-11-04T00:00:00Z", "d", null));

        assertThat(SnapshotSelector.latest(SnapshotSelector.ofDatabase(entries, "postgresql", lower), "x",
                Optional.empty(), NOW).id()).isEqualTo("20261103-000000-c");
        assertThat(SnapshotSelector.latest(SnapshotSelector.ofDatabase(entries, "postgresql", upper), "x",
                Optional.empty(), NOW).id()).isEqualTo("20261104-000000-d");
        assertThat(SnapshotSelector.ofDatabase(entries, "mysql", lower)).isEmpty();
        assertThatThrownBy(() -> SnapshotSelector.ofSource(entries, "h-5432-orders"))
                .hasMessageContaining("names snapshots of 2 databases").hasMessageContaining("'Orders'")
                .hasMessageContaining("'orders'");
        // keep 1 keeps the newest of each database, not only the newest of the folder
        assertThat(Retention.expired(entries, RetentionRules.keepLast(1), ZoneOffset.UTC, NOW)).extracting(SnapshotEntry::id)
                .containsExactly("20261101-000000-a", "20261102-000000-b");
    }

    @Test
    void snapshotsWrittenBeforePortAndContainerWereRecordedAreOfTheSameDatabase() {
        List<SnapshotEntry> entries = List.of(
                entry(new ManifestSource("local", "h-5432-orders", null, null, "h", null, "orders"),
                        "2026-11-01T00:00:00Z", "old", null),
                entry(new ManifestSource("local", "h-5432-orders", null, null, "h", 5432, "orders"),
                        "2026-11-02T00:00:00Z", "new", null),
                entry(new ManifestSource("prod", "orders-db-0", "orders-db-0", null, null, null, "orders"),
                        "2026-11-01T00:00:00Z", "old-pod", null),
                entry(new ManifestSource("prod", "orders-db-0", "orders-db-0", "postgres", null, null, "orders"),
                        "2026-11-02T00:00:00Z", "new-pod", null));
        assertThat(SnapshotSelector.ofSource(entries, "h-5432-orders")).hasSize(2);
        assertThat(SnapshotSelector.ofSource(entries, "prod/orders-db-0")).hasSize(2);
        assertThat(SnapshotSelector.ofDatabase(entries, "postgresql", ManifestSource.local("x", "h", 5432, "orders")))
                .hasSize(2);
        assertThat(Retention.expired(entries, RetentionRules.keepLast(1), ZoneOffset.UTC, NOW)).extracting(SnapshotEntry::id)
                .containsExactly("20261101-000000-old", "20261101-000000-old-pod");
        // another port is another server
        assertThat(SnapshotSelector.ofDatabase(entries, "postgresql", ManifestSource.local("x", "h", 5433, "orders")))
                .isEmpty();
    }

    @Test
    void aSourceNameSharedByTwoNamespacesMustBeSpelledOut() {
        List<SnapshotEntry> entries = List.of(
                entry(new ManifestSource("prod", "orders-db-0", "orders-db-0", "postgres", null, null, null),
                        "2026-11-01T00:00:00Z", "a", null),
                entry(new ManifestSource("staging", "orders-db-0", "orders-db-0", "postgres", null, null, null),
                        "2026-11-02T00:00:00Z", "b", null));
        assertThatThrownBy(() -> SnapshotSelector.ofSource(entries, "orders-db-0"))
                .hasMessageContaining("prod/orders-db-0").hasMessageContaining("staging/orders-db-0");
        assertThat(SnapshotSelector.ofSource(entries, "prod/orders-db-0")).singleElement()
                .satisfies(e -> assertThat(e.id()).isEqualTo("20261101-000000-a"));
    }

    @Test
    void aSnapshotDatedInTheFutureIsNeverTheLatestAndNeverPushesRealOnesOut() {
        List<SnapshotEntry> entries = List.of(entry("a", "2026-11-01T00:00:00Z", "one", null),
                entry("a", "2026-11-30T23:59:59Z", "two", null),
                entry("a", "2027-06-01T00:00:00Z", "fast-clock", null),
                entry("a", "2026-12-01T00:05:01Z", "five-minutes-ahead", null));
        assertThat(SnapshotSelector.latest(entries, "a", Optional.empty(), NOW).id()).isEqualTo("20261130-235959-two");
        // keep 1: the newest real one stays, the future ones are not deleted either
        assertThat(Retention.expired(entries, RetentionRules.keepLast(1), ZoneOffset.UTC, NOW)).extracting(SnapshotEntry::id)
                .containsExactly("20261101-000000-one");
        // a clock a little ahead (a node's, seconds or minutes) is still the latest
        List<SnapshotEntry> skewed = List.of(entry("a", "2026-11-30T23:59:59Z", "two", null),
                entry("a", "2026-12-01T00:04:59Z", "just-taken", null));
        assertThat(SnapshotSelector.latest(skewed, "a", Optional.empty(), NOW).id()).isEqualTo("20261201-000459-just-taken");
        assertThatThrownBy(() -> SnapshotSelector.latest(entries.subList(2, 4), "a", Optional.empty(), NOW))
                .hasMessageContaining("2 dated in the future").hasMessageContaining("--id");
    }

    static final List<SnapshotEntry> ENTRIES = List.of(
            entry("a", "2026-11-01T00:00:00Z", "one", null),
            entry("a", "2026-11-02T00:00:00Z", "two", "weekly"),
            entry("a", "2026-11-03T00:00:00Z", "three", null),
            entry("b", "2026-11-01T00:00:00Z", "one", "weekly"),
            entry("b", "2026-11-04T00:00:00Z", "four", null));

    @ParameterizedTest
    @CsvSource({"1,3", "2,1", "3,0", "10,0"})
    void keepLastIsPerSource(int keep, int expired) {
        List<SnapshotEntry> gone = Retention.expired(ENTRIES, RetentionRules.keepLast(keep), ZoneOffset.UTC, NOW);
        assertThat(gone).hasSize(expired);
        // the newest of each source goes last
        if (keep == 1) {
            assertThat(gone).extracting(SnapshotEntry::id)
                    .containsExactly("20261101-000000-one", "20261101-000000-one", "20261102-000000-two");
        }
    }

    @Test
    void latestAndTagAreWithinASource() {
        assertThat(SnapshotSelector.latest(SnapshotSelector.ofSource(ENTRIES, "a"), "a", Optional.empty(), NOW).id()).isEqualTo("20261103-000000-three");
        assertThat(SnapshotSelector.latest(SnapshotSelector.ofSource(ENTRIES, "local/a"), "a", Optional.of("weekly"), NOW).id()).isEqualTo("20261102-000000-two");
        assertThat(SnapshotSelector.latest(SnapshotSelector.ofSource(ENTRIES, "b"), "b", Optional.of("weekly"), NOW).sourceKey()).isEqualTo("local/b");
        assertThatThrownBy(() -> SnapshotSelector.latest(SnapshotSelector.ofSource(ENTRIES, "c"), "c", Optional.empty(), NOW))
                .isInstanceOf(DbsnapException.class).hasMessageContaining("no snapshot of source c");
    }

    @Test
    void aRestoresSafetySnapshotIsNeverTheLatestAndIsKeptApart() {
        List<SnapshotEntry> entries = List.of(
                entry("a", "2026-11-01T00:00:00Z", "one", null),
                entry("a", "2026-11-02T00:00:00Z", "two", null),
                entry("a", "2026-11-03T00:00:00Z", "pre-restore", SnapshotEntry.PRE_RESTORE_TAG),
                entry("a", "2026-11-04T00:00:00Z", "pre-restore", SnapshotEntry.PRE_RESTORE_TAG));
        // a second `restore --latest` restores what the first did, not the state it replaced
        assertThat(SnapshotSelector.latest(entries, "a", Optional.empty(), NOW).id()).isEqualTo("20261102-000000-two");
        assertThat(SnapshotSelector.latest(entries, "a", Optional.of("pre-restore"), NOW).id())
                .isEqualTo("20261104-000000-pre-restore");
        // safety copies do not push out the snapshots they guard
        assertThat(Retention.expired(entries, RetentionRules.keepLast(1), ZoneOffset.UTC, NOW)).extracting(SnapshotEntry::id)
                .containsExactly("20261101-000000-one", "20261103-000000-pre-restore");
    }

    @Test
    void anIdSharedBySourcesNeedsASource() {
        assertThatThrownBy(() -> SnapshotSelector.byId(ENTRIES, "20261101-000000-one", Optional.empty()))
                .isInstanceOf(DbsnapException.class).hasMessageContaining("add --source");
        assertThat(SnapshotSelector.byId(ENTRIES, "20261101-000000-one", Optional.of("b")).sourceKey()).isEqualTo("local/b");
        assertThatThrownBy(() -> SnapshotSelector.byId(ENTRIES, "nope", Optional.empty()))
                .hasMessageContaining("no snapshot with id nope");
    }
}
