package io.dbsnap.core.testing;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a database holds, as comparable text: per table its row count and the MD5 of all rows in
 * order, every sequence's state, the definitions of views, functions, constraints and indexes, and
 * the whole schema as {@code pg_dump --schema-only} writes it (column types, defaults, NOT NULL,
 * identity, triggers, types and enums, extensions, comments, owners and privileges). Two databases
 * with equal fingerprints hold the same data and objects.
 */
public final class PgFingerprint {

    private static final String USER_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'";

    private PgFingerprint() {
    }

    public static Map<String, String> of(PostgresServer server, String database) throws Exception {
        Map<String, String> print = new TreeMap<>();
        String tables = server.psql(database, "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND " + USER_SCHEMAS + " ORDER BY 1");
        for (String table : tables.strip().lines().filter(l -> !l.isBlank()).toList()) {
            print.put("table " + table, server.psql(database,
                    "SELECT count(*) || ' rows, md5 ' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '-') FROM "
                            + table + " t").strip());
        }
        String sequences = server.psql(database, "SELECT format('%I.%I', schemaname, sequencename) FROM pg_sequences ORDER BY 1");
        for (String sequence : sequences.strip().lines().filter(l -> !l.isBlank()).toList()) {
            print.put("sequence " + sequence, server.psql(database,
                    "SELECT last_value || ' ' || is_called FROM " + sequence).strip());
        }
        print.put("views", server.psql(database, "SELECT string_agg(v, E'\\n' ORDER BY v) FROM (SELECT format('%I.%I', schemaname, viewname) || ': ' "
                + "|| definition AS v FROM pg_views WHERE schemaname NOT IN ('pg_catalog', 'information_schema')) x").strip());
        print.put("functions", server.psql(database, "SELECT string_agg(pg_get_functiondef(p.oid), E'\\n' ORDER BY pg_get_functiondef(p.oid)) "
                + "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE " + USER_SCHEMAS).strip());
        print.put("constraints", server.psql(database, "SELECT string_agg(c.conrelid::regclass || ' ' || c.conname || ': ' "
                + "|| pg_get_constraintdef(c.oid), E'\\n' ORDER BY c.conrelid::regclass::text, c.conname) FROM pg_constraint c JOIN pg_namespace n "
                + "ON n.oid = c.connamespace WHERE " + USER_SCHEMAS).strip());
        print.put("indexes", server.psql(database, "SELECT string_agg(indexdef, E'\\n' ORDER BY indexdef) FROM pg_indexes "
                + "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')").strip());
        print.put("comments", server.psql(database, "SELECT string_agg(c.relname || '=' || coalesce(obj_description(c.oid, 'pg_class'), ''), '|' "
                + "ORDER BY c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE "
                + USER_SCHEMAS).strip());
        print.put("schema", normalised(server.schemaDump(database)));
        return print;
    }

    /** Without what differs between two dumps of one schema: comments and the per-dump \\restrict key. */
    static String normalised(String schemaDump) {
        return schemaDump.lines().filter(line -> !line.startsWith("--") && !line.startsWith("\\restrict ")
                        && !line.startsWith("\\unrestrict ") && !line.isBlank())
                .collect(java.util.stream.Collectors.joining("\n"));
    }
}
