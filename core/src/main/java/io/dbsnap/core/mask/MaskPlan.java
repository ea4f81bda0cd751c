package io.dbsnap.core.mask;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Masking rules bound to the tables of one snapshot, checked as a whole before the target is touched:
 * every table and column a rule names exists (a misspelt column would otherwise stay unmasked), every
 * transform fits its column's type, a strict file covers every column, and a key is there when a rule
 * needs one. Every problem is named in one message.
 */
public final class MaskPlan {

    /** How many names one message lists before it only counts the rest. */
    private static final int LISTED = 50;

    private final Map<DumpTable, TableMask> tables;
    private final MaskKey key;

    private MaskPlan(Map<DumpTable, TableMask> tables, MaskKey key) {
        this.tables = tables;
        this.key = key;
    }

    /**
     * One table's transforms by column position (null: the column is kept) and its {@code sql} rules, which
     * the database applies.
     */
    public record TableMask(DumpTable table, Transform[] inStream, Map<DumpTable.Column, Transform.Sql> sql) {

        public boolean masksInStream() {
            for (Transform transform : inStream) {
                if (transform != null) {
                    return true;
                }
            }
            return false;
        }
    }

    public static MaskPlan bind(MaskRules rules, MaskKey key, List<DumpTable> dumped, Dialect dialect) {
        List<String> problems = new ArrayList<>();
        Map<DumpTable, TableMask> bound = new LinkedHashMap<>();
        Map<DumpTable, Map<String, Transform>> ruled = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Transform>> rule : rules.tables().entrySet()) {
            List<DumpTable> matches = matching(rule.getKey(), dumped, dialect);
            if (matches.isEmpty()) {
                problems.add("the rules name table " + rule.getKey() + ", which the snapshot does not have (it has "
                        + listed(dumped.stream().map(DumpTable::qualified).toList()) + ")");
            } else if (matches.size() > 1) {
                problems.add("the rules' table " + rule.getKey() + " is " + listed(matches.stream()
                        .map(DumpTable::qualified).toList()) + " in the snapshot: write DATABASE.TABLE");
            } else if (ruled.containsKey(matches.get(0))) {
                problems.add("the rules name table " + matches.get(0).qualified() + " twice");
            } else {
                ruled.put(matches.get(0), rule.getValue());
            }
        }
        List<String> uncovered = new ArrayList<>();
        List<String> needKey = new ArrayList<>();
        for (DumpTable table : dumped) {
            Map<String, Transform> columns = ruled.getOrDefault(table, Map.of());
            for (String named : columns.keySet()) {
                if (table.columns().stream().noneMatch(c -> dialect.sameName(c.name(), named))) {
                    problems.add("the rules name column " + table.qualified() + "." + named + ", which the table "
                            + "does not have (it has " + listed(table.columns().stream().map(DumpTable.Column::name)
                            .toList()) + ")");
                }
            }
            Transform[] inStream = new Transform[table.columns().size()];
            Map<DumpTable.Column, Transform.Sql> sql = new LinkedHashMap<>();
            for (int i = 0; i < table.columns().size(); i++) {
                DumpTable.Column column = table.columns().get(i);
                String where = table.qualified() + "." + column.name();
                Transform transform = null;
                for (Map.Entry<String, Transform> rule : columns.entrySet()) {
                    if (dialect.sameName(column.name(), rule.getKey())) {
                        if (transform != null) {
                            problems.add(where + " has two rules (its name in another case)");
                        }
                        transform = rule.getValue();
                    }
                }
                if (column.generated()) {
                    if (transform != null) {
                        problems.add(where + " is generated from the table's other columns: mask those instead");
                    }
                    continue;
                }
                if (transform == null) {
                    uncovered.add(where);
                    continue;
                }
                String misfit = misfit(transform, column, dialect);
                boolean unique = table.uniqueColumns().stream().anyMatch(u -> dialect.sameName(u, column.name()));
                if (misfit == null && unique && transform instanceof Transform.Fixed) {
                    misfit = "fixed gives every row the same value, and the column is a unique key; use hash or fake";
                }
                if (misfit == null && unique && transform instanceof Transform.Fake fake && !fake.kind().manyValues()) {
                    misfit = fake.describe() + " has too few values for a unique key; use hash, fake email or fake iban";
                }
                if (misfit != null) {
                    problems.add(where + " (" + (column.type().isEmpty() ? "?" : column.type()) + "): " + misfit);
                }
                if (transform.needsKey() && key == null) {
                    needKey.add(where);
                }
                if (transform instanceof Transform.Sql expression) {
                    sql.put(column, expression);
                } else if (transform instanceof Transform.Hash) {
                    inStream[i] = new Transform.Hash(dialect.integerMax(column.type()));
                } else if (transform.inStream()) {
                    inStream[i] = transform;
                }
            }
            bound.put(table, new TableMask(table, inStream, sql));
        }
        for (DumpTable table : dumped) {
            // a child's rows are its own COPY: rules on the parent do not reach them
            DumpTable parent = table.inheritsFrom() == null ? null : dumped.stream()
                    .filter(t -> t.qualified().equals(table.inheritsFrom())).findFirst().orElse(null);
            if (parent != null && ruled.containsKey(parent) && !ruled.containsKey(table)) {
                problems.add(table.qualified() + " inherits from " + parent.qualified() + ", whose rules do not reach its "
                        + "rows: give it rules of its own");
            }
        }
        if (rules.strict() && !uncovered.isEmpty()) {
            problems.add(0, "strict: no rule covers " + uncovered.size() + " column" + (uncovered.size() == 1 ? "" : "s")
                    + " (" + listed(uncovered) + "); add a rule for each, keep included");
        }
        if (!needKey.isEmpty()) {
            problems.add("hash and fake need a secret key (" + listed(needKey) + "): give --mask-key-file FILE or set "
                    + MaskKey.ENVIRONMENT + "; there is no built-in one");
        }
        if (!problems.isEmpty()) {
            throw new MaskRulesException("the masking rules do not fit this snapshot, nothing was restored: "
                    + String.join("; ", problems));
        }
        return new MaskPlan(bound, key);
    }

    /** Why a transform cannot apply to this column, or null. */
    private static String misfit(Transform transform, DumpTable.Column column, Dialect dialect) {
        if (transform instanceof Transform.Fixed fixed) {
            int room = Dialect.length(column.type());
            if (room > 0 && fixed.value().codePointCount(0, fixed.value().length()) > room) {
                return "the fixed value is longer than the column's " + room + " characters";
            }
            if (dialect.integerMax(column.type()) != Long.MAX_VALUE && !fixed.value().matches("-?\\d{1,19}")) {
                return "the fixed value is not an integer";
            }
        }
        if (transform instanceof Transform.SetNull && column.notNull()) {
            return "null on a NOT NULL column; use fixed, hash or fake";
        }
        if (transform instanceof Transform.Hash && !dialect.hashable(column.type())) {
            return "hash keeps letters and digits in place, which a value of this type cannot take; use fixed, null or sql";
        }
        if (transform instanceof Transform.Fake fake) {
            if (!dialect.textual(column.type())) {
                return fake.describe() + " needs a text column; use hash, fixed, null or sql";
            }
            int room = Dialect.length(column.type());
            if (room > 0 && room < Fakes.maxLength(fake.kind())) {
                return fake.describe() + " writes up to " + Fakes.maxLength(fake.kind()) + " characters and the column"
                        + " holds " + room + "; use hash (which keeps the length), fixed or sql";
            }
        }
        return null;
    }

    private static List<DumpTable> matching(String ruleTable, List<DumpTable> dumped, Dialect dialect) {
        int dot = ruleTable.indexOf('.');
        String schema = dot < 0 ? dialect.defaultSchema() : ruleTable.substring(0, dot);
        String name = dot < 0 ? ruleTable : ruleTable.substring(dot + 1);
        return dumped.stream().filter(t -> dialect.sameName(t.name(), name) && (dot < 0 && schema == null
                || t.schema() != null && schema != null && dialect.sameName(t.schema(), schema))).toList();
    }

    private static String listed(List<String> names) {
        if (names.isEmpty()) {
            return "none";
        }
        String shown = String.join(", ", names.subList(0, Math.min(LISTED, names.size())));
        return names.size() > LISTED ? shown + " and " + (names.size() - LISTED) + " more" : shown;
    }

    /** The table's masking, or null when the snapshot has no such table. */
    public TableMask table(String schema, String name) {
        for (TableMask mask : tables.values()) {
            if (java.util.Objects.equals(mask.table().schema(), schema) && mask.table().name().equals(name)) {
                return mask;
            }
        }
        return null;
    }

    public java.util.Collection<TableMask> tables() {
        return tables.values();
    }

    /** A masker for one thread. */
    public ValueMasker masker() {
        return new ValueMasker(key);
    }

    /** What the plan does, one line per masked column: for a dry run and the restore's output. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (TableMask mask : tables.values()) {
            for (int i = 0; i < mask.inStream().length; i++) {
                if (mask.inStream()[i] != null) {
                    lines.add("mask " + mask.table().qualified() + "." + mask.table().columns().get(i).name() + ": "
                            + mask.inStream()[i].describe());
                }
            }
            mask.sql().forEach((column, sql) -> lines.add("mask " + mask.table().qualified() + "." + column.name()
                    + ": " + sql.describe()));
        }
        return lines;
    }
}
