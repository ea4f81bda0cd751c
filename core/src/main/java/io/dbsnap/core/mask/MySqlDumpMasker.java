package io.dbsnap.core.mask;

import io.dbsnap.core.DbsnapException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Masks a mysqldump / mariadb-dump file on its way to the client: each extended INSERT is rewritten value
 * by value, so an unmasked value never reaches the server. A table's {@code sql} rules become a BEFORE
 * INSERT trigger created right after its CREATE TABLE and dropped after its rows, so each row is stored
 * already masked; the expression reads the row's columns by name.
 */
public final class MySqlDumpMasker {

    private static final byte[] DEFAULT = "DEFAULT".getBytes(StandardCharsets.US_ASCII);

    private final MaskPlan plan;
    private final ValueMasker masker;
    private final MySqlDumpShapes shapes = new MySqlDumpShapes();
    private final ByteArrayOutputStream value = new ByteArrayOutputStream();
    /** The output line at which each table's INSERTs begin: the client names a failure by its line. */
    private final java.util.TreeMap<Long, String> insertsFrom = new java.util.TreeMap<>();
    private long outputLines;
    private String pendingTrigger;
    /** An INSERT of a masked table whose rows go on in the next lines, and its transforms by position. */
    private MaskPlan.TableMask continuing;
    private Positions continuingPositions;
    /** Between DELIMITER ;; and DELIMITER ;: routine, trigger and event bodies. */
    private boolean inBodies;
    private int triggers;
    private long maskedValues;

    public MySqlDumpMasker(MaskPlan plan) {
        this.plan = plan;
        this.masker = plan.masker();
    }

    /** The tables of a dump and their columns, for {@link MaskPlan#bind}. */
    public static List<DumpTable> tables(InputStream dump) throws IOException {
        return MySqlDumpShapes.tables(dump);
    }

    public void mask(InputStream dump, OutputStream out) throws IOException {
        LineReader lines = new LineReader(dump);
        while (lines.next()) {
            if (continuing != null) {
                rows(lines, 0, continuing, continuingPositions, out);
                continue;
            }
            if (lines.startsWith("DELIMITER ")) {
                // routines, triggers and events are written between DELIMITER ;; and DELIMITER ;: no rows there,
                // and the table's own triggers come after its rows, so dbsnap's goes first
                dropPendingTrigger(out);
                inBodies = !lines.text().strip().equals("DELIMITER ;");
                write(lines, out);
                continue;
            }
            if (inBodies) {
                write(lines, out);
                continue;
            }
            if (lines.startsWith("-- Table structure for table") || lines.startsWith("-- Dump completed")
                    || lines.startsWith("UNLOCK TABLES;")) {
                if (lines.startsWith("UNLOCK TABLES;")) {
                    write(lines, out);
                    dropPendingTrigger(out);
                    continue;
                }
                dropPendingTrigger(out);
            }
            if (shapes.accept(lines)) {
                write(lines, out);
                MaskPlan.TableMask mask = plan.table(shapes.database(), shapes.created().name());
                if (mask != null && !mask.sql().isEmpty()) {
                    String trigger = MySqlDumpShapes.quote("dbsnap_mask_" + (++triggers));
                    out.write(createTrigger(trigger, mask).getBytes(StandardCharsets.UTF_8));
                    outputLines++;
                    pendingTrigger = trigger;
                }
                continue;
            }
            if (startsWithIgnoringCase(lines, "INSERT") || startsWithIgnoringCase(lines, "REPLACE")) {
                java.util.regex.Matcher statement = DATA_STATEMENT.matcher(prefix(lines));
                String table = statement.lookingAt() ? MySqlDumpShapes.quoted(prefix(lines), statement.end()) : null;
                if (table == null) {
                    // a form this reader does not know may carry rows of a masked table: never let it through
                    throw new DbsnapException("cannot tell which table a line of the dump writes to (it starts "
                            + "with " + prefix(lines).split(" VALUES", 2)[0].strip() + "); masking stopped");
                }
                String qualified = shapes.database() == null ? table : shapes.database() + "." + table;
                java.util.Map.Entry<Long, String> last = insertsFrom.lastEntry();
                if (last == null || !last.getValue().equals(qualified)) {
                    insertsFrom.put(outputLines + 1, qualified);
                }
                MaskPlan.TableMask mask = plan.table(shapes.database(), table);
                if (mask != null && (mask.masksInStream() || !mask.sql().isEmpty())) {
                    maskInsert(lines, mask, out);
                    continue;
                }
            }
            write(lines, out);
        }
        if (continuing != null) {
            throw damaged(continuing, "the dump ends inside an INSERT");
        }
        dropPendingTrigger(out);
    }

    /**
     * INSERT, INSERT IGNORE and REPLACE, as a my.cnf's {@code insert-ignore} or {@code replace} makes the dump
     * tool write them, up to the table's opening backtick.
     */
    private static final java.util.regex.Pattern DATA_STATEMENT = java.util.regex.Pattern.compile(
            "(?i)(INSERT|REPLACE)(\\s+(LOW_PRIORITY|DELAYED|HIGH_PRIORITY|IGNORE))*\\s+(INTO\\s+)?(?=`)");

    private static boolean startsWithIgnoringCase(LineReader line, String word) {
        if (line.length() < word.length() + 1) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (Character.toUpperCase(line.bytes()[i]) != word.charAt(i)) {
                return false;
            }
        }
        return line.bytes()[word.length()] == ' ';
    }

    public long maskedValues() {
        return maskedValues;
    }

    private static final java.util.regex.Pattern AT_LINE = java.util.regex.Pattern.compile("at line (\\d+): ");
    private static final java.util.regex.Pattern DUPLICATE = java.util.regex.Pattern.compile(
            "at line (\\d+): Duplicate entry '.*' for key '([^']+)'");

    /**
     * A clearer message for a restore that failed because masking made two values of a unique key equal,
     * naming the table and the key; otherwise null.
     */
    public String collision(String failure) {
        java.util.regex.Matcher duplicate = DUPLICATE.matcher(failure);
        if (!duplicate.find()) {
            // with UNIQUE_CHECKS=0 (as dumps set it) InnoDB finds a duplicate only at COMMIT, without naming it
            java.util.regex.Matcher at = AT_LINE.matcher(failure);
            java.util.Map.Entry<Long, String> table = at.find() ? insertsFrom.floorEntry(Long.parseLong(at.group(1))) : null;
            return table == null ? null : "the server refused the masked rows of " + table.getValue() + ": a rule may "
                    + "have made values of a unique key equal (a hash of short values) or given a column a value it "
                    + "cannot take";
        }
        java.util.Map.Entry<Long, String> table = insertsFrom.floorEntry(Long.parseLong(duplicate.group(1)));
        return "masking made two rows of " + (table == null ? "a table" : table.getValue()) + " share a value of its "
                + "unique key " + duplicate.group(2) + ": give its columns rules whose outputs stay unique (hash keeps "
                + "them as distinct as their length allows; fake email adds digits)";
    }

    /** Drops dbsnap's trigger once its table's rows are in, whatever ends them. */
    private void dropPendingTrigger(OutputStream out) throws IOException {
        if (pendingTrigger == null) {
            return;
        }
        out.write(("DROP TRIGGER " + pendingTrigger + ";\n").getBytes(StandardCharsets.UTF_8));
        outputLines++;
        pendingTrigger = null;
    }

    /** {@code SET NEW.c = (SELECT (expr) FROM (SELECT NEW.a AS a, ...) AS row)}: the expression sees the row by name. */
    private static String createTrigger(String trigger, MaskPlan.TableMask mask) {
        StringBuilder row = new StringBuilder("SELECT ");
        String separator = "";
        for (DumpTable.Column column : mask.table().columns()) {
            if (column.generated()) {
                continue;
            }
            String name = MySqlDumpShapes.quote(column.name());
            row.append(separator).append("NEW.").append(name).append(" AS ").append(name);
            separator = ", ";
        }
        StringBuilder sql = new StringBuilder("CREATE TRIGGER ").append(trigger).append(" BEFORE INSERT ON ")
                .append(MySqlDumpShapes.quote(mask.table().name())).append(" FOR EACH ROW SET ");
        separator = "";
        for (Map.Entry<DumpTable.Column, Transform.Sql> rule : mask.sql().entrySet()) {
            sql.append(separator).append("NEW.").append(MySqlDumpShapes.quote(rule.getKey().name())).append(" = (SELECT (")
                    .append(rule.getValue().expression()).append(") FROM (").append(row).append(") AS `dbsnap_row`)");
            separator = ", ";
        }
        return sql.append(";\n").toString();
    }

    /** The start of a line, enough for its table's name; INSERT lines run to megabytes. */
    private static String prefix(LineReader line) {
        return new String(line.bytes(), 0, Math.min(line.length(), 1024), StandardCharsets.UTF_8);
    }

    private void maskInsert(LineReader line, MaskPlan.TableMask mask, OutputStream out) throws IOException {
        byte[] bytes = line.bytes();
        int values = indexOf(bytes, line.length(), " VALUES");
        if (values < 0) {
            throw damaged(mask, "no VALUES");
        }
        Positions positions = positions(mask, new String(bytes, 0, values, StandardCharsets.UTF_8));
        int pos = values + " VALUES".length();
        out.write(bytes, 0, pos);
        rows(line, pos, mask, positions, out);
    }

    /**
     * Masks the rows from {@code pos} to the end of the line. mariadb-dump 10.11 writes each row of an
     * extended INSERT on a line of its own: a statement not ended here goes on in the next lines.
     */
    private void rows(LineReader line, int pos, MaskPlan.TableMask mask, Positions positions, OutputStream out)
            throws IOException {
        byte[] bytes = line.bytes();
        int length = line.length();
        while (true) {
            while (pos < length && bytes[pos] == ' ') {
                out.write(' ');
                pos++;
            }
            if (pos == length) {
                continuing = mask;
                continuingPositions = positions;
                endLine(line, out);
                return;
            }
            if (bytes[pos] != '(') {
                throw damaged(mask, "a row does not start with (");
            }
            pos = row(bytes, pos, length, mask, positions, out);
            if (pos < length && bytes[pos] == ',') {
                out.write(',');
                pos++;
            } else if (pos < length && bytes[pos] == ';') {
                out.write(bytes, pos, length - pos);
                continuing = null;
                endLine(line, out);
                return;
            } else {
                throw damaged(mask, "a row is followed by neither , nor ;");
            }
        }
    }

    /** One parenthesised row from {@code pos}; returns the position after its ')'. */
    private int row(byte[] bytes, int pos, int length, MaskPlan.TableMask mask, Positions positions,
                    OutputStream out) throws IOException {
        Transform[] transforms = positions.transforms();
        out.write('(');
        pos++;
        for (int column = 0; ; column++) {
            if (pos >= length) {
                throw damaged(mask, "a row is cut");
            }
            int start = pos;
            boolean quoted = bytes[pos] == '\'';
            pos = quoted ? endOfString(bytes, pos, length, mask) : endOfToken(bytes, pos, length);
            if (column >= transforms.length) {
                throw damaged(mask, "a row has more values than the table has columns");
            }
            Transform transform = transforms[column];
            if (positions.generated()[column]) {
                out.write(DEFAULT);
            } else if (transform == null) {
                out.write(bytes, start, pos - start);
            } else {
                maskValue(bytes, start, pos, quoted, transform, out);
            }
            if (pos >= length) {
                throw damaged(mask, "a row is cut");
            }
            byte next = bytes[pos++];
            if (next == ',') {
                out.write(',');
            } else if (next == ')') {
                if (column != transforms.length - 1) {
                    throw damaged(mask, "a row has fewer values than the table has columns");
                }
                out.write(')');
                return pos;
            } else {
                throw damaged(mask, "a value is followed by '" + (char) next + "'");
            }
        }
    }

    private void endLine(LineReader line, OutputStream out) throws IOException {
        if (line.endedWithNewline()) {
            out.write('\n');
            outputLines++;
        }
    }

    /**
     * By value position: its transform (null: kept), and whether its column is generated (its value, which the
     * server ignores, is sent as DEFAULT: derived from masked columns, it would show them in the statement).
     */
    private record Positions(Transform[] transforms, boolean[] generated) {
    }

    /** The table's column order, or the INSERT's own column list. */
    private Positions positions(MaskPlan.TableMask mask, String head) {
        int open = head.indexOf(" (`");
        if (open < 0) {
            boolean[] generated = new boolean[mask.table().columns().size()];
            for (int i = 0; i < generated.length; i++) {
                generated[i] = mask.table().columns().get(i).generated();
            }
            return new Positions(mask.inStream(), generated);
        }
        List<Boolean> listedGenerated = new ArrayList<>();
        List<Transform> listed = new ArrayList<>();
        int at = open + 2;
        while (at < head.length() && head.charAt(at) == '`') {
            String name = MySqlDumpShapes.quoted(head, at);
            Transform transform = null;
            boolean generated = false;
            for (int i = 0; i < mask.table().columns().size(); i++) {
                if (mask.table().columns().get(i).name().equalsIgnoreCase(name)) {
                    transform = mask.inStream()[i];
                    generated = mask.table().columns().get(i).generated();
                }
            }
            listed.add(transform);
            listedGenerated.add(generated);
            at += MySqlDumpShapes.quote(name).length();
            while (at < head.length() && (head.charAt(at) == ',' || head.charAt(at) == ' ')) {
                at++;
            }
        }
        boolean[] generated = new boolean[listedGenerated.size()];
        for (int i = 0; i < generated.length; i++) {
            generated[i] = listedGenerated.get(i);
        }
        return new Positions(listed.toArray(new Transform[0]), generated);
    }

    private void maskValue(byte[] bytes, int start, int end, boolean quoted, Transform transform, OutputStream out)
            throws IOException {
        boolean isNull = !quoted && end - start == 4 && bytes[start] == 'N' && bytes[start + 1] == 'U';
        maskedValues++;
        if (isNull && !(transform instanceof Transform.SetNull)) {
            out.write(bytes, start, end - start);
            return;
        }
        String original = isNull ? "" : quoted ? unescape(bytes, start + 1, end - 1)
                : new String(bytes, start, end - start, StandardCharsets.UTF_8);
        String masked = masker.apply(transform, original);
        if (masked == null) {
            out.write("NULL".getBytes(StandardCharsets.US_ASCII));
        } else if (!quoted && transform instanceof Transform.Hash) {
            out.write(masked.getBytes(StandardCharsets.UTF_8)); // a number stays a number
        } else {
            out.write('\'');
            escape(masked, out);
            out.write('\'');
        }
    }

    /** The position after a string literal's closing quote. */
    private static int endOfString(byte[] bytes, int pos, int length, MaskPlan.TableMask mask) {
        for (int i = pos + 1; i < length; i++) {
            if (bytes[i] == '\\') {
                i++;
            } else if (bytes[i] == '\'') {
                if (i + 1 < length && bytes[i + 1] == '\'') {
                    i++;
                } else {
                    return i + 1;
                }
            }
        }
        throw damaged(mask, "a string is not closed");
    }

    private static int endOfToken(byte[] bytes, int pos, int length) {
        while (pos < length && bytes[pos] != ',' && bytes[pos] != ')') {
            pos++;
        }
        return pos;
    }

    private String unescape(byte[] bytes, int from, int to) {
        value.reset();
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b == '\'' && i + 1 < to && bytes[i + 1] == '\'') {
                value.write('\'');
                i++;
            } else if (b != '\\' || i + 1 >= to) {
                value.write(b);
            } else {
                byte c = bytes[++i];
                switch (c) {
                    case '0' -> value.write(0);
                    case 'b' -> value.write(8);
                    case 'n' -> value.write('\n');
                    case 'r' -> value.write('\r');
                    case 't' -> value.write('\t');
                    case 'Z' -> value.write(26);
                    default -> value.write(c);
                }
            }
        }
        return value.toString(StandardCharsets.UTF_8);
    }

    private static void escape(String text, OutputStream out) throws IOException {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            switch (b) {
                case 0 -> out.write(new byte[]{'\\', '0'});
                case '\n' -> out.write(new byte[]{'\\', 'n'});
                case '\r' -> out.write(new byte[]{'\\', 'r'});
                case 26 -> out.write(new byte[]{'\\', 'Z'});
                case '\\' -> out.write(new byte[]{'\\', '\\'});
                case '\'' -> out.write(new byte[]{'\\', '\''});
                case '"' -> out.write(new byte[]{'\\', '"'});
                default -> out.write(b);
            }
        }
    }

    private static int indexOf(byte[] bytes, int length, String ascii) {
        outer:
        for (int i = 0; i + ascii.length() <= length; i++) {
            for (int j = 0; j < ascii.length(); j++) {
                if (bytes[i + j] != ascii.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static DbsnapException damaged(MaskPlan.TableMask mask, String what) {
        return new DbsnapException("cannot mask an INSERT of " + mask.table().qualified() + ": " + what
                + "; masking stopped");
    }

    private void write(LineReader line, OutputStream out) throws IOException {
        if (line.copyTo(out)) {
            outputLines++;
        }
    }
}
