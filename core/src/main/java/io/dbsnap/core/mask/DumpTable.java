package io.dbsnap.core.mask;

import java.util.List;

/**
 * A table as a dump holds it: its schema (PostgreSQL's schema, MySQL's database; null for a one-database
 * MySQL dump), its name, and the columns its rows carry, in the order they carry them.
 */
public record DumpTable(String schema, String name, List<Column> columns) {

    public DumpTable {
        columns = List.copyOf(columns);
    }

    /** A column: its name, its declared type in lower case (empty when unknown) and whether it refuses NULL. */
    public record Column(String name, String type, boolean notNull) {
    }

    public String qualified() {
        return schema == null ? name : schema + "." + name;
    }
}
