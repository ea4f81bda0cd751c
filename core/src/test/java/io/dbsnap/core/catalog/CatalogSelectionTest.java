package io.dbsnap.core.catalog;

import io.dbsnap.api.manifest.Manifest;
import io.dbsnap.api.manifest.ManifestFile;
import io.dbsnap.api.manifest.ManifestSource;
import io.dbsnap.core.DbsnapException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogSelectionTest {

    static SnapshotEntry entry(String source, String time, String name, String tag) {
        Instant at = Instant.parse(time);
        String id = io.dbsnap.api.storage.SnapshotLayout.snapshotId(at, name);
        Manifest m = new Manifest(1, id, "postgresql", "15", new ManifestSource("local", source, null, "h", "db"),
                at, at, tag, null, "0.1.0", "zstd", "none",
                List.of(new ManifestFile("pg.dump.zst", 10, 20, "0".repeat(64))));
        return new SnapshotEntry(m, "local/" + source + "/" + id + "/");
    }

    static final List<SnapshotEntry> ENTRIES = List.of(
            entry("a", "2026-11-01T00:00:00Z", "one", null),
            entry("a", "2026-11-02T00:00:00Z", "two", "weekly"),
            entry("a", "2026-11-03T00:00:00Z", "three", null),
            entry("b", "2026-11-01T00:00:00Z", "one", "weekly"),
            entry("b", "2026-11-04T00:00:00Z", "four", null));

    @ParameterizedTest
    @CsvSource({"0,5", "1,3", "2,1", "3,0", "10,0"})
    void keepLastIsPerSource(int keep, int expired) {
        List<SnapshotEntry> gone = Retention.beyondKeepLast(ENTRIES, keep);
        assertThat(gone).hasSize(expired);
        // the newest of each source goes last
        if (keep == 1) {
            assertThat(gone).extracting(SnapshotEntry::id)
                    .containsExactly("20261101-000000-one", "20261101-000000-one", "20261102-000000-two");
        }
    }

    @Test
    void latestAndTagAreWithinASource() {
        assertThat(SnapshotSelector.latest(ENTRIES, "a", Optional.empty()).id()).isEqualTo("20261103-000000-three");
        assertThat(SnapshotSelector.latest(ENTRIES, "local/a", Optional.of("weekly")).id()).isEqualTo("20261102-000000-two");
        assertThat(SnapshotSelector.latest(ENTRIES, "b", Optional.of("weekly")).sourceKey()).isEqualTo("local/b");
        assertThatThrownBy(() -> SnapshotSelector.latest(ENTRIES, "c", Optional.empty()))
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
        assertThat(SnapshotSelector.latest(entries, "a", Optional.empty()).id()).isEqualTo("20261102-000000-two");
        assertThat(SnapshotSelector.latest(entries, "a", Optional.of("pre-restore")).id())
                .isEqualTo("20261104-000000-pre-restore");
        // safety copies do not push out the snapshots they guard
        assertThat(Retention.beyondKeepLast(entries, 1)).extracting(SnapshotEntry::id)
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
