package io.dbsnap.core.mask;

import io.dbsnap.core.DbsnapException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the script {@code pg_restore --file=-} writes, on its way to {@code psql}: the rows of each
 * {@code COPY} are rewritten column by column, so an unmasked value never reaches the target; a table's
 * {@code sql} rules become one UPDATE right after its last rows, in the same transaction, before its
 * indexes and foreign keys exist. Every row block the table of contents lists must pass through here,
 * once: a table whose rows came another way fails the restore before its COMMIT. Remembers which table each unique index belongs to, to name it if masking
 * made two values collide.
 */
public final class PgCopyMasker {

    private static final byte[] NULL = {'\\', 'N'};
    private static final Pattern ADD_UNIQUE = Pattern.compile("^\\s+ADD CONSTRAINT (\\S+) (UNIQUE|PRIMARY KEY) ");
    private static final Pattern CREATE_UNIQUE = Pattern.compile("^CREATE UNIQUE INDEX (\\S+) ON (?:ONLY )?(\\S+) ");
    private static final Pattern UNIQUE_FAILED = Pattern.compile(
            "could not create unique index \"([^\"]+)\"(?:.*?Key \\((.*?)\\)=)?", Pattern.DOTALL);

    private final MaskPlan plan;
    private final Map<String, DumpTable> byCopyStatement;
    private final ValueMasker masker;
    private final Map<String, String> uniqueIndexes = new HashMap<>();
    private final ByteArrayOutputStream field = new ByteArrayOutputStream();
    private long maskedValues;

    /** How many COPY blocks each statement has in the archive, and how many have passed. */
    private final Map<String, Integer> expectedBlocks;
    private final Map<String, Integer> seenBlocks = new HashMap<>();

    /** Partitioned tables ({@code schema.table}): rows loaded through one are its partitions' rows. */
    private final java.util.Set<String> partitioned;

    public PgCopyMasker(MaskPlan plan, Map<String, DumpTable> byCopyStatement, Map<String, Integer> expectedBlocks,
                        java.util.Set<String> partitioned) {
        this.plan = plan;
        this.byCopyStatement = byCopyStatement;
        this.expectedBlocks = expectedBlocks;
        this.partitioned = partitioned;
        this.masker = plan.masker();
    }

    public PgCopyMasker(MaskPlan plan, Map<String, DumpTable> byCopyStatement, Map<String, Integer> expectedBlocks) {
        this(plan, byCopyStatement, expectedBlocks, java.util.Set.of());
    }

    public PgCopyMasker(MaskPlan plan, Map<String, DumpTable> byCopyStatement) {
        this(plan, byCopyStatement, counted(byCopyStatement));
    }

    private static Map<String, Integer> counted(Map<String, DumpTable> byCopyStatement) {
        Map<String, Integer> once = new HashMap<>();
        byCopyStatement.keySet().forEach(copy -> once.put(copy, 1));
        return once;
    }

    public void mask(InputStream script, OutputStream out) throws IOException {
        LineReader lines = new LineReader(script);
        MaskPlan.TableMask copying = null;
        String copyStatement = null;
        boolean inCopy = false;
        String alterTable = null;
        while (lines.next()) {
            if (inCopy) {
                if (lines.length() == 2 && lines.bytes()[0] == '\\' && lines.bytes()[1] == '.') {
                    inCopy = false;
                    lines.copyTo(out);
                    // once, after the table's last block (a root loaded partition by partition has several)
                    if (copying != null && !copying.sql().isEmpty()
                            && seenBlocks.get(copyStatement).equals(expectedBlocks.get(copyStatement))) {
                        out.write(update(copying, !partitioned.contains(copying.table().qualified()))
                                .getBytes(StandardCharsets.UTF_8));
                    }
                    copying = null;
                } else if (copying != null && copying.masksInStream()) {
                    maskRow(lines, copying, out);
                } else {
                    lines.copyTo(out);
                }
                continue;
            }
            if (lines.startsWith("COPY ") && lines.endsWith(" FROM stdin;")) {
                DumpTable table = byCopyStatement.get(lines.text());
                if (table == null) {
                    throw new DbsnapException("pg_restore wrote rows for a table its table of contents did not list ("
                            + lines.text() + "); nothing was masked or committed");
                }
                copyStatement = lines.text();
                int seen = seenBlocks.merge(copyStatement, 1, Integer::sum);
                if (seen > expectedBlocks.getOrDefault(copyStatement, 0)) {
                    throw new DbsnapException("pg_restore wrote more row blocks for " + table.qualified() + " than its "
                            + "table of contents lists; nothing was masked or committed");
                }
                copying = plan.table(table.schema(), table.name());
                inCopy = true;
            } else if (lines.startsWith("ALTER TABLE ")) {
                alterTable = lines.text().substring("ALTER TABLE ".length()).replaceFirst("^ONLY ", "");
            } else if (lines.startsWith("    ADD CONSTRAINT ")) {
                Matcher unique = ADD_UNIQUE.matcher(lines.text());
                if (unique.find() && alterTable != null) {
                    uniqueIndexes.put(unique.group(1), alterTable);
                }
            } else if (lines.startsWith("CREATE UNIQUE INDEX ")) {
                Matcher unique = CREATE_UNIQUE.matcher(lines.text());
                if (unique.find()) {
                    uniqueIndexes.put(unique.group(1), unique.group(2));
                }
            }
            lines.copyTo(out);
        }
        if (inCopy) {
            throw new DbsnapException("pg_restore's script ends inside the rows of a table; nothing was committed");
        }
        // every block the table of contents lists went through here: none took another way in
        for (Map.Entry<String, Integer> expected : expectedBlocks.entrySet()) {
            int seen = seenBlocks.getOrDefault(expected.getKey(), 0);
            if (seen != expected.getValue()) {
                throw new DbsnapException("pg_restore wrote " + seen + " of the " + expected.getValue() + " row blocks of "
                        + byCopyStatement.get(expected.getKey()).qualified() + "; nothing was masked or committed");
            }
        }
    }

    /** How many values were rewritten so far. */
    public long maskedValues() {
        return maskedValues;
    }

    /**
     * A clearer message for a restore that failed because masking made two values of a unique column equal,
     * naming the table and column; otherwise null.
     */
    public String collision(String failure) {
        Matcher failed = UNIQUE_FAILED.matcher(failure);
        if (!failed.find()) {
            return null;
        }
        String table = uniqueIndexes.getOrDefault(failed.group(1), "?");
        String columns = failed.group(2) == null ? "?" : failed.group(2);
        return "masking made two rows of " + table + " share a value of its unique column" + (columns.contains(",")
                ? "s " : " ") + columns + " (index " + failed.group(1) + "): give it a rule whose outputs stay "
                + "unique (hash keeps them as distinct as its length allows; fake email adds digits)";
    }

    private void maskRow(LineReader line, MaskPlan.TableMask mask, OutputStream out) throws IOException {
        byte[] bytes = line.bytes();
        int length = line.length();
        Transform[] transforms = mask.inStream();
        int column = 0;
        int start = 0;
        for (int i = 0; i <= length; i++) {
            if (i < length && bytes[i] != '\t') {
                continue;
            }
            if (column >= transforms.length) {
                throw fieldCount(mask, line);
            }
            Transform transform = transforms[column];
            if (transform == null) {
                out.write(bytes, start, i - start);
            } else {
                boolean isNull = i - start == 2 && bytes[start] == '\\' && bytes[start + 1] == 'N';
                String masked = isNull && !(transform instanceof Transform.SetNull) ? null
                        : masker.apply(transform, isNull ? "" : decode(bytes, start, i));
                if (masked == null) {
                    out.write(NULL);
                } else {
                    encode(masked, out);
                }
                maskedValues++;
            }
            if (i < length) {
                out.write('\t');
            }
            column++;
            start = i + 1;
        }
        if (column != transforms.length) {
            throw fieldCount(mask, line);
        }
        out.write('\n');
    }

    private static DbsnapException fieldCount(MaskPlan.TableMask mask, LineReader line) {
        return new DbsnapException("a row of " + mask.table().qualified() + " does not have its "
                + mask.table().columns().size() + " columns; masking stopped and nothing was committed");
    }

    /** COPY's text format: backslash escapes, octal and hex bytes. */
    private String decode(byte[] bytes, int from, int to) {
        field.reset();
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b != '\\' || i + 1 >= to) {
                field.write(b);
                continue;
            }
            byte c = bytes[++i];
            switch (c) {
                case 'b' -> field.write(8);
                case 'f' -> field.write(12);
                case 'n' -> field.write('\n');
                case 'r' -> field.write('\r');
                case 't' -> field.write('\t');
                case 'v' -> field.write(11);
                case 'x' -> {
                    int value = 0;
                    int digits = 0;
                    while (digits < 2 && i + 1 < to && Character.digit(bytes[i + 1], 16) >= 0) {
                        value = value * 16 + Character.digit(bytes[++i], 16);
                        digits++;
                    }
                    field.write(digits == 0 ? 'x' : value);
                }
                default -> {
                    if (c >= '0' && c <= '7') {
                        int value = c - '0';
                        for (int d = 0; d < 2 && i + 1 < to && bytes[i + 1] >= '0' && bytes[i + 1] <= '7'; d++) {
                            value = value * 8 + (bytes[++i] - '0');
                        }
                        field.write(value);
                    } else {
                        field.write(c);
                    }
                }
            }
        }
        return field.toString(StandardCharsets.UTF_8);
    }

    private static void encode(String value, OutputStream out) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            switch (b) {
                case '\\' -> out.write(new byte[]{'\\', '\\'});
                case '\n' -> out.write(new byte[]{'\\', 'n'});
                case '\r' -> out.write(new byte[]{'\\', 'r'});
                case '\t' -> out.write(new byte[]{'\\', 't'});
                default -> out.write(b);
            }
        }
    }

    /**
     * The table's {@code sql} rules as one UPDATE, its expressions over the row's columns as restored;
     * {@code only} the table's own rows (an inheriting child's are its own), except for a partitioned table,
     * whose rows are all its partitions'.
     */
    private static String update(MaskPlan.TableMask mask, boolean only) {
        String schema = quote(mask.table().schema());
        StringBuilder sql = new StringBuilder("SET search_path = ").append(schema).append(", pg_catalog;\n")
                .append(only ? "UPDATE ONLY " : "UPDATE ").append(schema).append('.').append(quote(mask.table().name())).append(" SET ");
        String separator = "";
        for (Map.Entry<DumpTable.Column, Transform.Sql> rule : mask.sql().entrySet()) {
            sql.append(separator).append(quote(rule.getKey().name())).append(" = (")
                    .append(rule.getValue().expression()).append(')');
            separator = ", ";
        }
        return sql.append(";\nSELECT pg_catalog.set_config('search_path', '', false);\n").toString();
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
