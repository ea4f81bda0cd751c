package io.dbsnap.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a database holds the tables, views and sequences a custom-format archive lists: a
 * restore that "succeeded" into an empty or partial target is a failure. Plain text in, plain text
 * out, tested alone.
 */
final class PgRestoreCheck {

    /** {@code 215; 1259 16386 TABLE public orders postgres}; multi-word kinds such as TABLE DATA are other objects. */
    private static final Pattern TOC_ENTRY = Pattern.compile(
            "^\\d+; \\d+ \\d+ (TABLE|SEQUENCE|VIEW|MATERIALIZED VIEW) (?!DATA |ATTACH |SET |OWNED BY )(.+)$");

    /** A relation the archive creates: its kind ({@code r}, {@code S}, {@code v}, {@code m}) and "schema name owner". */
    record Listed(char kind, String schemaNameOwner) {
    }

    private PgRestoreCheck() {
    }

    /** The relations {@code pg_restore --list} shows. */
    static List<Listed> listed(String toc) {
        List<Listed> listed = new ArrayList<>();
        for (String line : toc.split("\n")) {
            Matcher entry = TOC_ENTRY.matcher(line);
            if (entry.matches()) {
                char kind = switch (entry.group(1)) {
                    case "TABLE" -> 'r';
                    case "SEQUENCE" -> 'S';
                    case "VIEW" -> 'v';
                    default -> 'm';
                };
                listed.add(new Listed(kind, entry.group(2)));
            }
        }
        return listed;
    }

    /**
     * The listed relations the database lacks. {@code present} is psql's unaligned
     * {@code relkind|schema name} per line; a partitioned table ({@code p}) counts as a table.
     */
    static List<String> missing(List<Listed> listed, String present) {
        List<String[]> have = new ArrayList<>();
        for (String line : present.split("\n")) {
            int bar = line.indexOf('|');
            if (bar == 1) {
                char kind = line.charAt(0) == 'p' ? 'r' : line.charAt(0);
                have.add(new String[]{String.valueOf(kind), line.substring(2)});
            }
        }
        List<String> missing = new ArrayList<>();
        for (Listed relation : listed) {
            // the owner follows the name; it may differ (--no-owner), so the name must be a prefix
            boolean found = have.stream().anyMatch(h -> h[0].charAt(0) == relation.kind()
                    && (relation.schemaNameOwner().equals(h[1]) || relation.schemaNameOwner().startsWith(h[1] + " ")));
            if (!found) {
                missing.add(relation.schemaNameOwner());
            }
        }
        return missing;
    }
}
