package io.dbsnap.core.mask;

import java.util.List;

/**
 * A table as a dump holds it: its schema (PostgreSQL's schema, MySQL's database; null for a one-database
 * MySQL dump), its name, the columns its rows carry, in the order they carry them, and the columns that
 * are a primary or unique key on their own; and the table it inherits from ({@code schema.table}), if any.
 */
public record DumpTable(String schema, String name, List<Column> columns, java.util.Set<String> uniqueColumns,
                        String inheritsFrom) {

    public DumpTable {
        columns = List.copyOf(columns);
        uniqueColumns = java.util.Set.copyOf(uniqueColumns);
    }

    public DumpTable(String schema, String name, List<Column> columns, java.util.Set<String> uniqueColumns) {
        this(schema, name, columns, uniqueColumns, null);
    }

    public DumpTable(String schema, String name, List<Column> columns) {
        this(schema, name, columns, java.util.Set.of());
    }

    /**
     * A column: its name, its declared type in lower case (empty when unknown), whether it refuses NULL, and
     * whether the database computes it (a generated column: its dumped value is not stored, so no rule applies).
     */
    public record Column(String name, String type, boolean notNull, boolean generated) {

        public Column(String name, String type, boolean notNull) {
            this(name, type, notNull, false);
        }
    }

    public String qualified() {
        return schema == null ? name : schema + "." + name;
    }
}
