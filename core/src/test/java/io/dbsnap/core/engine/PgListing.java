package io.dbsnap.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What {@code pg_restore --list} prints, read the way a person reads it: the oracle for {@link PgArchiveToc}. */
final class PgListing {

    /** {@code 215; 1259 16386 TABLE public orders postgres}; multi-word kinds such as TABLE DATA are other objects. */
    private static final Pattern TOC_ENTRY = Pattern.compile(
            "^\\d+; \\d+ \\d+ (TABLE|SEQUENCE|VIEW|MATERIALIZED VIEW) (?!DATA |ATTACH |SET |OWNED BY )(.+)$");

    private PgListing() {
    }

    static List<PgRestoreCheck.Listed> listed(String toc) {
        List<PgRestoreCheck.Listed> listed = new ArrayList<>();
        for (String line : toc.split("\n")) {
            Matcher entry = TOC_ENTRY.matcher(line);
            if (entry.matches()) {
                char kind = switch (entry.group(1)) {
                    case "TABLE" -> 'r';
                    case "SEQUENCE" -> 'S';
                    case "VIEW" -> 'v';
                    default -> 'm';
                };
                listed.add(new PgRestoreCheck.Listed(kind, entry.group(2)));
            }
        }
        return listed;
    }
}
