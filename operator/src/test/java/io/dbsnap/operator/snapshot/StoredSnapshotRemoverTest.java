package io.dbsnap.operator.snapshot;

import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshotStatus;
import io.dbsnap.core.DbsnapException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A status names the folder a Delete snapshot removes; one that names anything but its own is refused before the store is opened. */
class StoredSnapshotRemoverTest {

    @ParameterizedTest
    @ValueSource(strings = {
            // another namespace's snapshot in a shared bucket
            "s3://snaps/prod/billing/orders-db-0/20261201-000000-x/",
            // a parent folder: every snapshot of a source, or of the namespace
            "s3://snaps/prod/prod/orders-db-0/",
            "s3://snaps/prod/prod/",
            "s3://snaps/prod/prod//20261201-000000-x/",
            // outside the spec's store
            "s3://other/prod/prod/orders-db-0/20261201-000000-x/",
            "s3://snaps/production/prod/orders-db-0/20261201-000000-x/"})
    void aLocationThatIsNotTheSnapshotsOwnFolderDeletesNothing(String location) {
        DatabaseSnapshot snapshot = Snapshots.basic();
        DatabaseSnapshotStatus status = new DatabaseSnapshotStatus();
        status.setLocation(location);
        snapshot.setStatus(status);
        assertThatThrownBy(() -> StoredSnapshotRemover.remove(snapshot, "key", "secret"))
                .isInstanceOf(DbsnapException.class).hasMessageContaining("nothing deleted");
    }
}
