package io.dbsnap.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A store in a local directory ({@code file://DIR}), laid out like the S3 store. Objects are
 * written under a hidden temporary name, fsynced, then renamed into place.
 */
public final class FileObjectStore implements ObjectStore {

    private static final String PARTIAL = ".partial-";
    /** Exactly the names {@link #create} gives its temporary files: a data file is never one, whatever it is called. */
    private static final Pattern PARTIAL_NAME = Pattern.compile(
            "\\..+\\.partial-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** Snapshots are whole databases: readable by their owner only. */
    static final FileAttribute<?> PRIVATE_DIR = PosixFilePermissions
            .asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    static final FileAttribute<?> PRIVATE_FILE = PosixFilePermissions
            .asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private final Path root;

    public FileObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String uri() {
        return "file://" + root;
    }

    @Override
    public void checkAccess() {
        try {
            createPrivateDirectories(root);
        } catch (IOException e) {
            throw new StoreException("cannot create store directory " + root + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(root)) {
            throw new StoreException("store directory " + root + " is not writable");
        }
    }

    @Override
    public ObjectWriter create(String key) {
        Path target = resolve(key);
        Path temp = target.resolveSibling("." + target.getFileName() + PARTIAL + UUID.randomUUID());
        try {
            createPrivateDirectories(target.getParent());
            return new FileWriter(temp, target, root);
        } catch (IOException e) {
            throw new StoreException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void put(String key, byte[] content) {
        try (ObjectWriter writer = create(key)) {
            writer.write(content);
            writer.commit();
        } catch (IOException e) {
            throw new StoreException("cannot write " + resolve(key) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] get(String key) {
        try {
            return Files.readAllBytes(resolve(key));
        } catch (NoSuchFileException e) {
            throw new StoreException(resolve(key) + " does not exist", e);
        } catch (IOException e) {
            throw new StoreException("cannot read " + resolve(key) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream open(String key) {
        try {
            return Files.newInputStream(resolve(key));
        } catch (NoSuchFileException e) {
            throw new StoreException(resolve(key) + " does not exist", e);
        } catch (IOException e) {
            throw new StoreException("cannot read " + resolve(key) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<StoredObject> list(String prefix) {
        return files(name -> !name.startsWith("."), p -> new StoredObject(keyOf(p), sizeOf(p), modified(p))).stream()
                .filter(o -> o.key().startsWith(prefix))
                .toList();
    }

    @Override
    public void delete(String key) {
        Path path = resolve(key);
        try {
            Files.deleteIfExists(path);
            // remove folders left empty, up to the root; one another prune removed, or a writer just filled, ends it
            for (Path dir = path.getParent(); dir != null && !dir.equals(root); dir = dir.getParent()) {
                try (Stream<Path> entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        break;
                    }
                    Files.delete(dir);
                } catch (NoSuchFileException | java.nio.file.DirectoryNotEmptyException e) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot delete " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<IncompleteWrite> incompleteWrites(Instant before) {
        return files(name -> PARTIAL_NAME.matcher(name).matches(),
                p -> new IncompleteWrite(writtenKey(keyOf(p)), keyOf(p), modified(p))).stream()
                .filter(w -> w.started().isBefore(before))
                .toList();
    }

    /** The key a partial file {@code DIR/.NAME.partial-UUID} was being written for: {@code DIR/NAME}. */
    private static String writtenKey(String partialKey) {
        int slash = partialKey.lastIndexOf('/') + 1;
        String name = partialKey.substring(slash + 1, partialKey.lastIndexOf(PARTIAL));
        return partialKey.substring(0, slash) + name;
    }

    @Override
    public void discard(IncompleteWrite write) {
        if (!PARTIAL_NAME.matcher(resolve(write.handle()).getFileName().toString()).matches()) {
            throw new StoreException(resolve(write.handle()) + " is not a partial file");
        }
        delete(write.handle());
    }

    /** Every regular file below the root whose name {@code matches}, as {@code T}. */
    private <T> List<T> files(Predicate<String> matches, Function<Path, T> as) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> matches.test(p.getFileName().toString()))
                    .map(as)
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new StoreException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    /** Creates the missing folders up to {@code dir}, each 0700; folders that exist are left as they are. */
    private static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (dir.getParent() != null) {
            createPrivateDirectories(dir.getParent());
        }
        try {
            Files.createDirectory(dir, PRIVATE_DIR);
        } catch (FileAlreadyExistsException e) {
            // another writer made it first
        }
    }

    private String keyOf(Path path) {
        return root.relativize(path).toString().replace('\\', '/');
    }

    @Override
    public void close() {
    }

    private Path resolve(String key) {
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root)) {
            throw new StoreException("key " + key + " leaves the store directory");
        }
        return path;
    }

    private static Instant modified(Path path) {
        try {
            return Files.getLastModifiedTime(path).toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long sizeOf(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class FileWriter extends ObjectWriter {
        private final Path temp;
        private final Path target;
        private final Path root;
        private final FileChannel channel;
        private final OutputStream out;
        private boolean committed;
        private boolean aborted;

        FileWriter(Path temp, Path target, Path root) throws IOException {
            this.temp = temp;
            this.target = target;
            this.root = root;
            this.channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PRIVATE_FILE);
            this.out = java.nio.channels.Channels.newOutputStream(channel);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void commit() throws IOException {
            if (aborted) {
                throw new IOException("write to " + target + " was aborted");
            }
            channel.force(true);
            channel.close();
            publish();
            // the new name, and any folder created for it, must survive a power loss
            for (Path dir = target.getParent(); dir != null && dir.startsWith(root); dir = dir.getParent()) {
                syncDirectory(dir);
            }
            committed = true;
        }

        /**
         * Gives the temporary file its name without ever replacing an object: a hard link fails
         * atomically when the name is taken, so two runs can never overwrite each other.
         */
        private void publish() throws IOException {
            try {
                Files.createLink(target, temp);
            } catch (FileAlreadyExistsException e) {
                throw taken(e);
            } catch (UnsupportedOperationException | FileSystemException e) {
                // no hard links here (some network and FUSE file systems): a rename that refuses to replace,
                // though it checks and renames in two steps
                try {
                    Files.move(temp, target);
                } catch (FileAlreadyExistsException exists) {
                    throw taken(exists);
                }
                return;
            }
            Files.delete(temp);
        }

        private ObjectExistsException taken(FileAlreadyExistsException e) throws IOException {
            Files.deleteIfExists(temp);
            return new ObjectExistsException("cannot write " + target + ": it exists already (another run "
                    + "chose the same snapshot id at the same time); nothing was replaced", e);
        }

        @Override
        public void abort() {
            if (committed || aborted) {
                return;
            }
            aborted = true;
            try {
                channel.close();
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a leftover hidden partial file is never listed
            }
        }

        @Override
        protected boolean committed() {
            return committed;
        }

        private static void syncDirectory(Path dir) {
            // makes the rename durable; not every file system allows opening a directory
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
