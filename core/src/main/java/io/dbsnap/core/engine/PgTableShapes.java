package io.dbsnap.core.engine;

import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.mask.DumpTable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tables of a custom-format archive as masking sees them: the columns of each {@code COPY} (exactly
 * what each row carries, in order) with the types and NOT NULL of its {@code CREATE TABLE}. Both come
 * from the table of contents, so they are known before a byte of data is read.
 */
final class PgTableShapes {

    private static final String[] TYPE_ENDS = {" collate ", " default ", " not null", " null", " generated ",
            " constraint ", " check "};

    private PgTableShapes() {
    }

    /**
     * Each table, by the exact COPY statement pg_restore prints before its rows, named as that statement
     * names it: partitions that pg_dump loads through their root (hash-partitioned on an enum) are the
     * root's rows, in as many COPY blocks as {@link Shapes#blocks} counts.
     */
    record Shapes(Map<String, DumpTable> byCopyStatement, Map<String, Integer> blocks, java.util.Set<String> partitioned) {
    }

    static Shapes of(List<PgArchiveToc.TableData> data, Map<String, String> definitions) {
        Map<String, DumpTable> tables = new LinkedHashMap<>();
        Map<String, Integer> blocks = new HashMap<>();
        java.util.Set<String> partitioned = new java.util.HashSet<>();
        for (PgArchiveToc.TableData table : data) {
            String copy = table.copyStatement().strip();
            if (copy.indexOf('\n') >= 0 || copy.indexOf('\r') >= 0) {
                // its COPY line would span lines, which no stream reader can tell from rows
                throw new io.dbsnap.core.mask.MaskRulesException("table " + table.namespace() + "." + table.table()
                        + " has a line break in its name or a column's: masking cannot read its rows; rename it or "
                        + "restore without --mask");
            }
            blocks.merge(copy, 1, Integer::sum);
            if (tables.containsKey(copy)) {
                continue;
            }
            Cursor at = new Cursor(copy, "COPY ".length());
            String schema = at.identifier();
            at.expect('.');
            String name = at.identifier();
            String definition = definitions.get(schema + "\0" + name);
            Map<String, DumpTable.Column> declared = declared(definition);
            List<DumpTable.Column> columns = new ArrayList<>();
            for (String column : copyColumns(copy)) {
                columns.add(declared.getOrDefault(column, new DumpTable.Column(column, "", false)));
            }
            tables.put(copy, new DumpTable(schema, name, columns,
                    uniqueColumns(qualifiedName(copy), table.keyDefinitions()), inheritsFrom(definition)));
            if (definition != null && definition.matches("(?s).*\\)\\s*PARTITION BY .*")) {
                partitioned.add(schema + "." + name);
            }
        }
        return new Shapes(tables, blocks, partitioned);
    }

    /** {@code ) INHERITS (public.parent);}: the first parent, unquoted, or null. */
    static String inheritsFrom(String definition) {
        if (definition == null) {
            return null;
        }
        int at = definition.lastIndexOf(") INHERITS (");
        if (at < 0) {
            return null;
        }
        Cursor parent = new Cursor(definition, at + ") INHERITS (".length());
        try {
            String schema = parent.identifier();
            parent.expect('.');
            return schema + "." + parent.identifier();
        } catch (DbsnapException unreadable) {
            return null;
        }
    }

    private static final java.util.regex.Pattern UNIQUE_CONSTRAINT = java.util.regex.Pattern.compile(
            "^ALTER TABLE (?:ONLY )?(.+)\n\\s+ADD CONSTRAINT .+ (?:UNIQUE|PRIMARY KEY) \\((.+)\\);\\s*$", java.util.regex.Pattern.DOTALL);
    private static final java.util.regex.Pattern UNIQUE_INDEX = java.util.regex.Pattern.compile(
            "^CREATE UNIQUE INDEX \\S+ ON (?:ONLY )?(.+) USING \\w+ \\((.+)\\);\\s*$", java.util.regex.Pattern.DOTALL);

    /** {@code schema.table} as pg_dump writes it (quoted where needed) in a COPY statement. */
    private static String qualifiedName(String copy) {
        Cursor at = new Cursor(copy, "COPY ".length());
        at.identifier();
        at.expect('.');
        at.identifier();
        return copy.substring("COPY ".length(), at.pos);
    }

    /** Columns that are a primary key or unique on their own, from the definitions of constraints and unique indexes. */
    static java.util.Set<String> uniqueColumns(String qualified, List<String> keyDefinitions) {
        java.util.Set<String> unique = new java.util.HashSet<>();
        for (String definition : keyDefinitions) {
            java.util.regex.Matcher key = UNIQUE_CONSTRAINT.matcher(definition);
            if (!key.matches()) {
                key = UNIQUE_INDEX.matcher(definition);
                if (!key.matches()) {
                    continue;
                }
            }
            if (!key.group(1).equals(qualified)) {
                continue;
            }
            Cursor columns = new Cursor(key.group(2), 0);
            try {
                String column = columns.identifier();
                if (columns.rest().isEmpty()) {
                    unique.add(column);
                }
            } catch (DbsnapException notAColumn) {
                // an expression index: not a column of its own
            }
        }
        return unique;
    }

    /** {@code COPY schema.table (a, "B c") FROM stdin;} -> [a, B c]. */
    static List<String> copyColumns(String copy) {
        Cursor at = new Cursor(copy, "COPY ".length());
        at.identifier();
        at.expect('.');
        at.identifier();
        List<String> columns = new ArrayList<>();
        if (!at.rest().startsWith(" (")) {
            return columns; // a table without columns
        }
        at.skip(2);
        while (true) {
            columns.add(at.identifier());
            if (at.rest().startsWith(", ")) {
                at.skip(2);
            } else {
                at.expect(')');
                return columns;
            }
        }
    }

    /** The columns a {@code CREATE TABLE} declares, with their types; empty for one without a column list. */
    static Map<String, DumpTable.Column> declared(String definition) {
        Map<String, DumpTable.Column> columns = new HashMap<>();
        if (definition == null) {
            return columns;
        }
        String[] lines = definition.split("\n");
        boolean inside = false;
        for (String line : lines) {
            if (!inside) {
                inside = line.startsWith("CREATE") && line.endsWith("(");
                continue;
            }
            if (line.startsWith(")")) {
                break;
            }
            String text = line.strip();
            if (text.endsWith(",")) {
                text = text.substring(0, text.length() - 1);
            }
            if (text.isEmpty() || text.startsWith("CONSTRAINT ")) {
                continue;
            }
            Cursor at = new Cursor(text, 0);
            String name = at.identifier();
            String rest = " " + at.rest().strip();
            String lower = rest.toLowerCase(Locale.ROOT) + " ";
            int end = lower.length();
            for (String stop : TYPE_ENDS) {
                int found = lower.indexOf(stop);
                if (found >= 0 && found < end) {
                    end = found;
                }
            }
            String type = lower.substring(0, Math.min(end, lower.length())).strip();
            columns.put(name, new DumpTable.Column(name, type, lower.contains(" not null ")));
        }
        return columns;
    }

    /** Reads identifiers as pg_dump writes them: bare (lower case, digits, _ and $) or in double quotes. */
    private static final class Cursor {
        private final String text;
        private int pos;

        Cursor(String text, int pos) {
            this.text = text;
            this.pos = pos;
        }

        String identifier() {
            if (pos < text.length() && text.charAt(pos) == '"') {
                StringBuilder name = new StringBuilder();
                pos++;
                while (pos < text.length()) {
                    char c = text.charAt(pos++);
                    if (c == '"') {
                        if (pos < text.length() && text.charAt(pos) == '"') {
                            name.append('"');
                            pos++;
                        } else {
                            return name.toString();
                        }
                    } else {
                        name.append(c);
                    }
                }
                throw damaged();
            }
            int start = pos;
            while (pos < text.length() && ".(), ".indexOf(text.charAt(pos)) < 0) {
                pos++;
            }
            if (start == pos) {
                throw damaged();
            }
            return text.substring(start, pos);
        }

        void expect(char c) {
            if (pos >= text.length() || text.charAt(pos) != c) {
                throw damaged();
            }
            pos++;
        }

        void skip(int n) {
            pos += n;
        }

        String rest() {
            return text.substring(pos);
        }

        private DbsnapException damaged() {
            return new DbsnapException("cannot read the table of contents' statement '" + text.strip()
                    + "' at character " + pos);
        }
    }
}
