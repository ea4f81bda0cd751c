package io.dbsnap.core.engine;

import io.dbsnap.core.DbsnapException;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The table of contents at the head of a custom-format archive ({@code pg_dump -Fc}), read in Java
 * so a restore through a pod needs no {@code pg_restore --list} beside the agent. It follows
 * PostgreSQL's {@code ReadHead}/{@code ReadToc} for archive versions 1.12 (PostgreSQL 9.x) to 1.16
 * (17); a newer version is refused rather than guessed.
 */
public final class PgArchiveToc {

    private static final int FORMAT_CUSTOM = 1;
    private static final int MIN_VERSION = version(1, 12, 0);
    private static final int MAX_VERSION = version(1, 16, 0);
    /** Longer than any definition pg_dump writes (a function body, a view), shorter than the heap. */
    private static final int MAX_STRING = 64 << 20;

    /** One entry: {@code TABLE}, {@code SEQUENCE SET}, ... in a schema (null for schema-less objects). */
    public record Entry(int dumpId, String desc, String namespace, String tag, String owner) {
    }

    /** K_OFFSET_NO_DATA: an entry with no data block. */
    private static final int NO_DATA = 3;

    /**
     * The table of contents and where it ends: {@code length} bytes from the archive's start, then
     * {@code dataBlocks} data blocks, whose integers are {@code intSize} bytes and a sign.
     */
    public record Layout(List<Entry> entries, long length, int intSize, int dataBlocks) {
    }

    /**
     * What a table's rows look like in the archive: its {@code COPY} statement (the columns, in order) and,
     * when the archive has it, its {@code CREATE TABLE} (their types); and the archive's constraint and
     * index definitions, which say which columns are unique. For masking.
     */
    public record TableData(String namespace, String table, String copyStatement, String definition,
                            List<String> keyDefinitions) {
    }

    /**
     * What masking must know of an archive, from one read of its table of contents: every table's rows
     * ({@link TableData}), each table's definition by {@code schema NUL table}, how many large objects it
     * holds (their bytes are no table's rows, and pg_restore's script commits each on its own) and its encoding.
     */
    public record ForMasking(List<TableData> tables, java.util.Map<String, String> definitions, int largeObjects,
                             String encoding) {
    }

    private static PgArchiveToc readWhole(Path archive) {
        try (InputStream in = Files.newInputStream(archive)) {
            PgArchiveToc toc = new PgArchiveToc(in);
            toc.entries();
            return toc;
        } catch (EOFException e) {
            throw new DbsnapException("the archive ends inside its table of contents: it is cut or not an archive");
        } catch (IOException e) {
            throw new DbsnapException("cannot read the archive " + archive + ": " + e.getMessage(), e);
        }
    }

    private final java.util.Map<String, String> definitions = new java.util.HashMap<>();
    private final List<String[]> copies = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();
    private int largeObjects;
    private String encoding;
    private final CountingStream counted;
    private final DataInputStream in;
    private int intSize;
    private int archiveVersion;
    private int dataBlocks;

    private PgArchiveToc(InputStream in) {
        this.counted = new CountingStream(new BufferedInputStream(in, 1 << 16));
        this.in = new DataInputStream(counted);
    }

    /** Reads only as far as the end of the table of contents, and says where that is. */
    public static Layout layout(InputStream archive) throws IOException {
        PgArchiveToc toc = new PgArchiveToc(archive);
        try {
            List<Entry> entries = toc.entries();
            return new Layout(entries, toc.counted.count, toc.intSize, toc.dataBlocks);
        } catch (EOFException e) {
            throw new DbsnapException("the archive ends inside its table of contents: it is cut or not an archive");
        }
    }

    public static List<Entry> read(Path archive) {
        try (InputStream in = Files.newInputStream(archive)) {
            return read(in);
        } catch (IOException e) {
            throw new DbsnapException("cannot read the archive " + archive + ": " + e.getMessage(), e);
        }
    }

    /** {@link ForMasking}, tables in the archive's order. */
    public static ForMasking forMasking(Path archive) {
        PgArchiveToc toc = readWhole(archive);
        List<TableData> tables = new ArrayList<>();
        for (String[] copy : toc.copies) {
            tables.add(new TableData(copy[0], copy[1], copy[2], toc.definitions.get(copy[0] + "\0" + copy[1]),
                    toc.keys));
        }
        return new ForMasking(tables, toc.definitions, toc.largeObjects, toc.encoding);
    }

    /** Reads only as far as the end of the table of contents. */
    public static List<Entry> read(InputStream archive) throws IOException {
        return layout(archive).entries();
    }

    private List<Entry> entries() throws IOException {
        byte[] magic = in.readNBytes(5);
        if (!"PGDMP".equals(new String(magic, StandardCharsets.ISO_8859_1))) {
            throw new DbsnapException("not a custom-format archive (no PGDMP header)");
        }
        archiveVersion = version(in.readUnsignedByte(), in.readUnsignedByte(), in.readUnsignedByte());
        if (archiveVersion < MIN_VERSION || archiveVersion > MAX_VERSION) {
            throw new DbsnapException("archive version " + describe(archiveVersion) + " is not one dbsnap reads ("
                    + describe(MIN_VERSION) + " to " + describe(MAX_VERSION) + ")");
        }
        intSize = in.readUnsignedByte();
        int offSize = in.readUnsignedByte();
        if (intSize < 1 || intSize > 8 || offSize < 1 || offSize > 8) {
            throw new DbsnapException("the archive header is damaged (integer size " + intSize + ")");
        }
        if (in.readUnsignedByte() != FORMAT_CUSTOM) {
            throw new DbsnapException("the archive is not in the custom format");
        }
        if (archiveVersion >= version(1, 15, 0)) {
            in.readUnsignedByte(); // compression algorithm
        } else {
            readInt(); // compression level
        }
        for (int i = 0; i < 7; i++) {
            readInt(); // creation time, struct tm
        }
        readStr(); // database name
        readStr(); // server version
        readStr(); // pg_dump version
        int count = readInt();
        if (count < 0) {
            throw new DbsnapException("the archive's table of contents is damaged (" + count + " entries)");
        }
        List<Entry> entries = new ArrayList<>(Math.min(count, 1 << 16));
        for (int i = 0; i < count; i++) {
            entries.add(entry(offSize));
        }
        return entries;
    }

    private Entry entry(int offSize) throws IOException {
        int dumpId = readInt();
        if (dumpId <= 0) {
            throw new DbsnapException("the archive's table of contents is damaged (entry id " + dumpId + ")");
        }
        readInt(); // had a data dumper
        readStr(); // table oid
        readStr(); // oid
        String tag = readStr();
        String desc = readStr();
        readInt(); // section
        String definition = readStr();
        readStr(); // drop statement
        String copy = readStr();
        String namespace = readStr();
        if ("TABLE".equals(desc) && definition != null) {
            definitions.put(namespace + "\0" + tag, definition);
        } else if ("TABLE DATA".equals(desc) && copy != null) {
            copies.add(new String[]{namespace, tag, copy});
        } else if (("CONSTRAINT".equals(desc) || "INDEX".equals(desc)) && definition != null) {
            keys.add(definition);
        } else if (desc != null && (desc.startsWith("BLOB") || desc.startsWith("LARGE OBJECT"))) {
            largeObjects++;
        } else if ("ENCODING".equals(desc) && definition != null) {
            java.util.regex.Matcher named = java.util.regex.Pattern.compile("client_encoding = '([^']*)'").matcher(definition);
            encoding = named.find() ? named.group(1) : definition.strip();
        }
        readStr(); // tablespace
        if (archiveVersion >= version(1, 14, 0)) {
            readStr(); // table access method
        }
        if (archiveVersion >= version(1, 16, 0)) {
            readInt(); // relkind
        }
        String owner = readStr();
        readStr(); // "false": with oids
        while (readStr() != null) {
            // dependencies, a list ended by a null string
        }
        if (in.readUnsignedByte() != NO_DATA) { // the data block's offset: a flag byte, then the offset
            dataBlocks++;
        }
        in.skipNBytes(offSize);
        return new Entry(dumpId, desc, namespace, tag, owner);
    }

    /** A sign byte, then the magnitude in {@code intSize} little-endian bytes. */
    private int readInt() throws IOException {
        int sign = in.readUnsignedByte();
        long value = 0;
        for (int i = 0; i < intSize; i++) {
            value |= (long) in.readUnsignedByte() << (8 * i);
        }
        if (value > Integer.MAX_VALUE) {
            throw new DbsnapException("the archive's table of contents is damaged (an integer of " + value + ")");
        }
        return sign == 0 ? (int) value : -(int) value;
    }

    /** A length, then that many bytes; a negative length is a null string. */
    private String readStr() throws IOException {
        int length = readInt();
        if (length < 0) {
            return null;
        }
        if (length > MAX_STRING) {
            // read before the archive is verified: a damaged length must not take the memory
            throw new DbsnapException("the archive's table of contents is damaged (a string of " + length + " bytes)");
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException();
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int version(int major, int minor, int revision) {
        return (major << 16) | (minor << 8) | revision;
    }

    private static String describe(int version) {
        return (version >> 16) + "." + ((version >> 8) & 0xff) + "." + (version & 0xff);
    }

    /** Counts what the table of contents consumed, below DataInputStream and above the read-ahead buffer. */
    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
