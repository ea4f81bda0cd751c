package io.dbsnap.core.engine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The base tables a mysqldump file creates, as {@code HEX(schema) HEX(table)} (how the server's
 * catalog is compared with it), collected as the dump streams past, holding only the start of each
 * line: a dump's INSERT lines can be megabytes long.
 */
final class MySqlDumpTables {

    private static final byte[] CREATE_TABLE = "CREATE TABLE `".getBytes(StandardCharsets.US_ASCII);
    /** The comment mysqldump writes before each table it creates: a routine's body may hold a CREATE TABLE too. */
    private static final byte[] STRUCTURE = "-- Table structure for table `".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USE = "USE `".getBytes(StandardCharsets.US_ASCII);
    /** Enough of a line to hold a quoted name (at most 64 characters of up to 4 bytes, each maybe doubled). */
    private static final int KEEP = 1024;

    private final Set<String> tables = new TreeSet<>();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private String database;
    private boolean tableFollows;

    /** {@code defaultDatabase}: the database a one-database dump is restored into (it names none itself). */
    MySqlDumpTables(String defaultDatabase) {
        this.database = defaultDatabase;
    }

    /** The next bytes of the dump. */
    void update(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] == '\n') {
                endLine();
            } else if (line.size() < KEEP) {
                line.write(bytes[i]);
            }
        }
    }

    /** The tables seen so far; at the end of the dump, all of them. */
    Set<String> tables() {
        endLine();
        return Set.copyOf(tables);
    }

    private void endLine() {
        byte[] text = line.toByteArray();
        line.reset();
        if (startsWith(text, USE)) {
            database = quoted(text, USE.length);
        } else if (startsWith(text, STRUCTURE)) {
            tableFollows = true;
        } else if (tableFollows && startsWith(text, CREATE_TABLE) && database != null) {
            String table = quoted(text, CREATE_TABLE.length);
            if (table != null) {
                tables.add(hex(database) + " " + hex(table));
            }
            tableFollows = false;
        }
    }

    /** The name after an opening backtick at {@code from}, with doubled backticks undone; null if unterminated. */
    private static String quoted(byte[] text, int from) {
        ByteArrayOutputStream name = new ByteArrayOutputStream();
        for (int i = from; i < text.length; i++) {
            if (text[i] == '`') {
                if (i + 1 < text.length && text[i + 1] == '`') {
                    name.write('`');
                    i++;
                } else {
                    return name.toString(StandardCharsets.UTF_8);
                }
            } else {
                name.write(text[i]);
            }
        }
        return null;
    }

    private static boolean startsWith(byte[] text, byte[] prefix) {
        if (text.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (text[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code HEX(schema) HEX(table)} with both names lower-cased: a server with lower_case_table_names
     * stores the dump's {@code Orders} as {@code orders}, which is the same table.
     */
    static String folded(String hexPair) {
        String[] parts = hexPair.strip().split(" ");
        if (parts.length != 2) {
            return hexPair.strip();
        }
        return fold(parts[0]) + " " + fold(parts[1]);
    }

    private static String fold(String hexName) {
        try {
            return hex(name(hexName).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return hexName;
        }
    }

    /** {@code schema.table} of a {@code HEX(schema) HEX(table)} pair, for messages. */
    static String readable(String hexPair) {
        String[] parts = hexPair.split(" ");
        return name(parts[0]) + "." + name(parts[1]);
    }

    private static String name(String hex) {
        return new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8);
    }

    static String hex(String name) {
        return HexFormat.of().withUpperCase().formatHex(name.getBytes(StandardCharsets.UTF_8));
    }
}
