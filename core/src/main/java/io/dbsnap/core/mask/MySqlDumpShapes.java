package io.dbsnap.core.mask;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the tables of a mysqldump / mariadb-dump file as it streams past: {@code USE} switches the
 * database (an every-database dump), and the {@code CREATE TABLE} after each "Table structure" comment
 * declares the columns (a routine's body may hold a CREATE TABLE too, without that comment).
 */
final class MySqlDumpShapes {

    private static final String[] TYPE_ENDS = {" not null", " null", " default ", " auto_increment", " comment ",
            " generated ", " as (", " invisible", " on update ", " check ("};

    private String database;
    private boolean tableFollows;
    private String creating;
    private List<DumpTable.Column> columns;
    private java.util.Set<String> unique;
    private DumpTable created;

    /** Every table of a dump, in order; reads it all. */
    static List<DumpTable> tables(InputStream dump) throws IOException {
        MySqlDumpShapes shapes = new MySqlDumpShapes();
        List<DumpTable> tables = new ArrayList<>();
        LineReader lines = new LineReader(dump);
        while (lines.next()) {
            if (shapes.accept(lines)) {
                tables.add(shapes.created());
            }
        }
        return tables;
    }

    /** Takes the next line; true when it closed a CREATE TABLE, whose table {@link #created()} gives. */
    boolean accept(LineReader line) {
        if (creating != null) {
            if (line.startsWith("  `")) {
                column(line.text().substring(2));
            } else if (line.startsWith("  PRIMARY KEY (`") || line.startsWith("  UNIQUE KEY `")) {
                unique(line.text());
            } else if (line.startsWith(")")) {
                created = new DumpTable(database, creating, columns, unique);
                creating = null;
                return true;
            }
            return false;
        }
        if (line.startsWith("USE `")) {
            database = quoted(line.text(), "USE ".length());
        } else if (line.startsWith("-- Table structure for table `")) {
            tableFollows = true;
        } else if (tableFollows && line.startsWith("CREATE TABLE `")) {
            creating = quoted(line.text(), "CREATE TABLE ".length());
            columns = new ArrayList<>();
            unique = new java.util.HashSet<>();
            tableFollows = false;
        }
        return false;
    }

    DumpTable created() {
        return created;
    }

    /** The database the dump is in now (null for a one-database dump, which names none). */
    String database() {
        return database;
    }

    private void column(String text) {
        String name = quoted(text, 0);
        if (name == null) {
            return;
        }
        int end = text.indexOf('`', 1);
        while (end + 1 < text.length() && text.charAt(end + 1) == '`') {
            end = text.indexOf('`', end + 2);
        }
        String rest = " " + text.substring(end + 1).strip();
        if (rest.endsWith(",")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        String lower = rest.toLowerCase(Locale.ROOT) + " ";
        // dumped with a value the server ignores and computes again
        boolean generated = lower.contains(" generated always ") || lower.contains(" as (");
        int cut = lower.length();
        for (String stop : TYPE_ENDS) {
            int found = lower.indexOf(stop);
            if (found >= 0 && found < cut) {
                cut = found;
            }
        }
        columns.add(new DumpTable.Column(name, lower.substring(0, cut).strip(), lower.contains(" not null "), generated));
    }

    /** {@code PRIMARY KEY (`id`)} or {@code UNIQUE KEY `k` (`email`)}: a key of one column (a prefix key is not unique in full). */
    private void unique(String text) {
        int open = text.lastIndexOf(" (`");
        if (open < 0 || !text.endsWith(")") && !text.endsWith("),")) {
            return;
        }
        String inside = text.substring(open + 2, text.lastIndexOf(')'));
        String column = quoted(inside, 0);
        if (column != null && inside.equals(quote(column))) {
            unique.add(column);
        }
    }

    /** The backtick-quoted name starting at {@code from}, with doubled backticks undone; null if there is none. */
    static String quoted(String text, int from) {
        if (from >= text.length() || text.charAt(from) != '`') {
            return null;
        }
        StringBuilder name = new StringBuilder();
        for (int i = from + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '`') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '`') {
                    name.append('`');
                    i++;
                } else {
                    return name.toString();
                }
            } else {
                name.append(c);
            }
        }
        return null;
    }

    static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
