package io.dbsnap.core.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileObjectStoreTest {

    @TempDir
    Path dir;

    @Test
    void foldersAreOwnerOnlyAndFilesOwnerReadWriteOnly() throws IOException {
        FileObjectStore store = new FileObjectStore(dir.resolve("store"));
        store.checkAccess();
        store.put("ns/src/20260101-000000-x/manifest.json", "{}".getBytes());
        try (ObjectWriter writer = store.create("ns/src/20260101-000000-x/pg.dump.zst")) {
            writer.write("dump".getBytes());
            writer.commit();
        }
        for (String folder : List.of("store", "store/ns", "store/ns/src", "store/ns/src/20260101-000000-x")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(folder))))
                    .as(folder).isEqualTo("rwx------");
        }
        for (String file : List.of("manifest.json", "pg.dump.zst")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    dir.resolve("store/ns/src/20260101-000000-x").resolve(file)))).as(file).isEqualTo("rw-------");
        }
    }

    @Test
    void aDataFileIsNeverTakenForAPartialOneWhateverItIsCalled() throws IOException {
        FileObjectStore store = new FileObjectStore(dir);
        for (String name : List.of("x.partial-0b0e1c1e-7c36-4c1c-9d40-3a3a3a3a3a3a", ".partial-", "a.partial-b.zst",
                "app.db.partial-0b0e1c1e-7c36-4c1c-9d40-3a3a3a3a3a3a.zst")) {
            store.put("ns/src/20260101-000000-x/" + name, "data".getBytes());
        }
        assertThat(store.incompleteWrites(java.time.Instant.now().plusSeconds(3600))).isEmpty();
        // and the real thing is found
        ObjectWriter open = store.create("ns/src/20260101-000000-y/pg.dump.zst");
        open.write("half".getBytes());
        assertThat(store.incompleteWrites(java.time.Instant.now().plusSeconds(3600))).singleElement()
                .satisfies(w -> assertThat(w.handle()).startsWith("ns/src/20260101-000000-y/.pg.dump.zst.partial-"));
        open.close();
    }

    @Test
    void anObjectAppearsOnlyWhenCommitted() throws IOException {
        FileObjectStore store = new FileObjectStore(dir);
        try (ObjectWriter writer = store.create("ns/src/id/pg.dump.zst")) {
            writer.write("hello".getBytes());
            assertThat(store.list("")).isEmpty();
            writer.commit();
        }
        assertThat(store.list("")).singleElement().satisfies(o -> {
            assertThat(o.key()).isEqualTo("ns/src/id/pg.dump.zst");
            assertThat(o.size()).isEqualTo(5);
            assertThat(o.modified()).isBefore(java.time.Instant.now().plusSeconds(1));
        });
        assertThat(store.get("ns/src/id/pg.dump.zst")).isEqualTo("hello".getBytes());
    }

    @Test
    void anAbortedWriteLeavesNoFileAtAll() throws IOException {
        FileObjectStore store = new FileObjectStore(dir);
        try (ObjectWriter writer = store.create("ns/src/id/pg.dump.zst")) {
            writer.write(new byte[1 << 20]);
        }
        assertThat(store.list("")).isEmpty();
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void deleteRemovesEmptyFoldersAndKeysCannotEscape() {
        FileObjectStore store = new FileObjectStore(dir);
        store.put("a/b/c.txt", new byte[]{1});
        store.delete("a/b/c.txt");
        assertThat(dir.resolve("a")).doesNotExist();
        assertThat(dir).exists();
        assertThatThrownBy(() -> store.put("../outside", new byte[]{1})).isInstanceOf(StoreException.class);
    }

    @Test
    void aSecondWriterCannotReplaceAnObject() throws IOException {
        FileObjectStore store = new FileObjectStore(dir);
        ObjectWriter first = store.create("k/pg.dump.zst");
        ObjectWriter second = store.create("k/pg.dump.zst");
        first.write("first".getBytes());
        second.write("second".getBytes());
        first.commit();
        assertThatThrownBy(second::commit).isInstanceOf(ObjectExistsException.class);
        second.close();
        assertThat(store.get("k/pg.dump.zst")).isEqualTo("first".getBytes());
        assertThat(store.list("")).hasSize(1);
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)).hasSize(1);
        }
    }

    @Test
    void aKilledWritersPartialFileIsFoundByAgeAndDiscarded() throws IOException {
        FileObjectStore store = new FileObjectStore(dir);
        ObjectWriter killed = store.create("local/src/20260101-000000-x/pg.dump.zst");
        killed.write(new byte[1000]);
        killed.flush();
        // the process died here: nothing closed the writer
        java.time.Instant now = java.time.Instant.now();
        assertThat(store.incompleteWrites(now.minusSeconds(3600))).isEmpty();
        List<IncompleteWrite> leftovers = store.incompleteWrites(now.plusSeconds(1));
        assertThat(leftovers).singleElement().satisfies(w -> {
            assertThat(w.key()).isEqualTo("local/src/20260101-000000-x/pg.dump.zst");
            assertThat(w.handle()).startsWith("local/src/20260101-000000-x/.pg.dump.zst.partial-");
            assertThat(w.started()).isBefore(now.plusSeconds(1));
        });
        assertThat(store.list("")).isEmpty();
        store.discard(leftovers.get(0));
        assertThat(store.incompleteWrites(now.plusSeconds(1))).isEmpty();
        assertThatThrownBy(() -> store.discard(new IncompleteWrite("local/src/x/manifest.json", "local/src/x/manifest.json", now)))
                .isInstanceOf(StoreException.class);
    }
}
