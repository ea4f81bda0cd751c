package io.dbsnap.core.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a database holds the tables, views and sequences a custom-format archive lists: a
 * restore that "succeeded" into an empty or partial target is a failure. Plain text in, plain text
 * out, tested alone.
 */
final class PgRestoreCheck {

    /** A relation the archive creates: its kind ({@code r}, {@code S}, {@code v}, {@code m}) and "schema name owner". */
    record Listed(char kind, String schemaNameOwner) {
    }

    private PgRestoreCheck() {
    }

    /** The relkind of a table-of-contents entry that creates a relation, else null. */
    static Character kindOf(String desc) {
        return switch (desc) {
            case "TABLE" -> 'r';
            case "SEQUENCE" -> 'S';
            case "VIEW" -> 'v';
            case "MATERIALIZED VIEW" -> 'm';
            default -> null;
        };
    }

    /** The relations of an archive's table of contents, as {@code pg_restore --list} would show them. */
    static List<Listed> listed(List<PgArchiveToc.Entry> toc) {
        List<Listed> listed = new ArrayList<>();
        for (PgArchiveToc.Entry entry : toc) {
            Character kind = kindOf(entry.desc());
            if (kind != null) {
                listed.add(new Listed(kind, entry.namespace() + " " + entry.tag() + " " + entry.owner()));
            }
        }
        return listed;
    }

    /**
     * The listed relations the database lacks. {@code present} is psql's unaligned
     * {@code relkind|schema name} per line; a partitioned table ({@code p}) counts as a table.
     *
     * <p>The archive's "schema name owner" cannot be split where names hold spaces, and the owner
     * may differ (--no-owner), so a relation is matched by prefix: {@code public orders} fits both
     * {@code public orders postgres} and {@code public orders old postgres}. Each present relation
     * may stand for one listed relation only (a bipartite matching), so a missing {@code orders old}
     * is never covered by the {@code orders} beside it.
     */
    static List<String> missing(List<Listed> listed, String present) {
        List<Character> kinds = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String line : present.split("\n")) {
            if (line.indexOf('|') == 1) {
                kinds.add(line.charAt(0) == 'p' ? 'r' : line.charAt(0));
                names.add(line.substring(2));
            }
        }
        List<List<Integer>> candidates = new ArrayList<>();
        for (Listed relation : listed) {
            List<Integer> fits = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                if (kinds.get(i) == relation.kind() && (relation.schemaNameOwner().equals(names.get(i))
                        || relation.schemaNameOwner().startsWith(names.get(i) + " "))) {
                    fits.add(i);
                }
            }
            candidates.add(fits);
        }
        int[] standsFor = new int[names.size()];
        java.util.Arrays.fill(standsFor, -1);
        List<String> missing = new ArrayList<>();
        for (int r = 0; r < listed.size(); r++) {
            if (!assign(r, candidates, standsFor, new boolean[names.size()])) {
                missing.add(listed.get(r).schemaNameOwner());
            }
        }
        return missing;
    }

    /** Kuhn's augmenting path: gives listed relation {@code r} a present one, moving earlier choices if need be. */
    private static boolean assign(int r, List<List<Integer>> candidates, int[] standsFor, boolean[] tried) {
        for (int p : candidates.get(r)) {
            if (!tried[p]) {
                tried[p] = true;
                if (standsFor[p] < 0 || assign(standsFor[p], candidates, standsFor, tried)) {
                    standsFor[p] = r;
                    return true;
                }
            }
        }
        return false;
    }
}
