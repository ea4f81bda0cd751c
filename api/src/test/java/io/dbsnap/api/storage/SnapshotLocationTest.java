package io.dbsnap.api.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotLocationTest {

    @Test
    void aLocationIsItsStoreAndItsFolder() {
        SnapshotLocation at = SnapshotLocation.parse("s3://snaps/prod/shop/orders-db-0/20261201-230030-goes-away/");
        assertThat(at.storeUri()).isEqualTo("s3://snaps/prod");
        assertThat(at.namespace()).isEqualTo("shop");
        assertThat(at.source()).isEqualTo("orders-db-0");
        assertThat(at.id()).isEqualTo("20261201-230030-goes-away");
        assertThat(at.prefix()).isEqualTo("shop/orders-db-0/20261201-230030-goes-away/");
        assertThat(at).hasToString("s3://snaps/prod/shop/orders-db-0/20261201-230030-goes-away/");
        assertThat(SnapshotLocation.parse("s3://snaps/a/b/20261201-230030-x")).isEqualTo(
                new SnapshotLocation("s3://snaps", "a", "b", "20261201-230030-x"));
        assertThat(SnapshotLocation.parse("file:///home/me/.dbsnap/snapshots/local/db-5432-app/20261201-230030-x/")
                .storeUri()).isEqualTo("file:///home/me/.dbsnap/snapshots");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "s3://snaps/prod/shop/orders-db-0/",       // a source's folder, not one snapshot's
            "s3://snaps/prod/shop/",
            "s3://snaps/shop/orders-db-0/20261201-230030-x/extra/",
            "s3://snaps/prod/shop//20261201-230030-x/", // an empty source
            "s3://shop/orders-db-0/20261201-230030-x/", // no bucket left for the store
            "shop/orders-db-0/20261201-230030-x",
            ""})
    void anythingButOneSnapshotsFolderIsRefused(String location) {
        assertThatThrownBy(() -> SnapshotLocation.parse(location)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a snapshot folder");
    }

    @Test
    void keysOfTheLayoutNameTheirFolderAndOthersDoNot() {
        assertThat(SnapshotLocation.ofKey("s3://b", "shop/orders-db-0/20261201-230030-x/pg.dump.zst"))
                .hasValueSatisfying(f -> assertThat(f.prefix()).isEqualTo("shop/orders-db-0/20261201-230030-x/"));
        assertThat(SnapshotLocation.ofKey("s3://b", "shop/orders-db-0/20261201-230030-x/.pg.dump.zst.partial-1"))
                .isPresent();
        assertThat(SnapshotLocation.ofKey("s3://b", "shop/orders-db-0/not-an-id/pg.dump.zst")).isEmpty();
        assertThat(SnapshotLocation.ofKey("s3://b", "shop/orders-db-0/20261201-230030-x/")).isEmpty();
        assertThat(SnapshotLocation.ofKey("s3://b", "notes.txt")).isEmpty();
        assertThat(SnapshotLocation.ofKey("s3://b", "a/shop/orders-db-0/20261201-230030-x/pg.dump.zst")).isEmpty();
    }
}
