package io.dbsnap.core.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileObjectStoreTest {

    @TempDir
    Path dir;

    @Test
    void anObjectAppearsOnlyWhenCommitted() throws IOException {
        FileObjectStore store = new FileObjectStore(dir);
        try (ObjectWriter writer = store.create("ns/src/id/pg.dump.zst")) {
            writer.write("hello".getBytes());
            assertThat(store.list("")).isEmpty();
            writer.commit();
        }
        assertThat(store.list("")).containsExactly(new StoredObject("ns/src/id/pg.dump.zst", 5));
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
        assertThatThrownBy(second::commit).isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
        second.close();
        assertThat(store.get("k/pg.dump.zst")).isEqualTo("first".getBytes());
        assertThat(store.list("")).hasSize(1);
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)).hasSize(1);
        }
    }
}
