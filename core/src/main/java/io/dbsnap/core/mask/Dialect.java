package io.dbsnap.core.mask;

import java.util.Locale;
import java.util.regex.Pattern;

/** What masking must know of an engine's names and types. */
public enum Dialect {

    /** Names are exact; a bare table name in the rules is in schema {@code public}. */
    POSTGRESQL("public", false,
            Pattern.compile("(text|citext|name|bpchar|character varying|varchar|character|char)(\\(\\d+\\))?"),
            Pattern.compile("smallint|integer|bigint|int[248]?|(numeric|decimal)(\\(\\d+(,\\s*\\d+)?\\))?|uuid")),
    /** Names compare without case, as MySQL and MariaDB compare column names. */
    MYSQL(null, true,
            Pattern.compile("(char|varchar|tinytext|text|mediumtext|longtext)(\\(\\d+\\))?"
                    + "( character set \\w+)?( collate \\w+)?"),
            Pattern.compile("(tinyint|smallint|mediumint|int|integer|bigint|decimal|numeric)(\\(\\d+(,\\d+)?\\))?"
                    + "( unsigned)?( zerofill)?"));

    private static final Pattern LENGTH = Pattern.compile("^[a-z ]+\\((\\d+)\\)");

    private final String defaultSchema;
    private final boolean caseInsensitive;
    private final Pattern textual;
    private final Pattern alsoHashable;

    Dialect(String defaultSchema, boolean caseInsensitive, Pattern textual, Pattern alsoHashable) {
        this.defaultSchema = defaultSchema;
        this.caseInsensitive = caseInsensitive;
        this.textual = textual;
        this.alsoHashable = alsoHashable;
    }

    /** The schema a rule's bare table name means (null: any). */
    String defaultSchema() {
        return defaultSchema;
    }

    boolean sameName(String a, String b) {
        return caseInsensitive ? a.equalsIgnoreCase(b) : a.equals(b);
    }

    /** Whether a fake kind (a string of its own shape) fits; an unknown type (empty) is left to the database. */
    boolean textual(String type) {
        return type.isEmpty() || textual.matcher(type.toLowerCase(Locale.ROOT)).matches();
    }

    /**
     * The largest magnitude an integer column of this type holds, so a hashed id still fits it; for any
     * other type (numeric, text) the largest a permuted number may have.
     */
    long integerMax(String type) {
        String t = type.toLowerCase(java.util.Locale.ROOT).replaceAll("\\(\\d+\\)", "").strip();
        boolean unsigned = t.contains("unsigned");
        String base = t.replace(" unsigned", "").replace(" zerofill", "").strip();
        return switch (base) {
            case "tinyint" -> unsigned ? 255 : 127;
            case "smallint", "int2" -> unsigned ? 65535 : 32767;
            case "mediumint" -> unsigned ? 16777215 : 8388607;
            case "integer", "int", "int4" -> unsigned ? 4294967295L : Integer.MAX_VALUE;
            default -> Long.MAX_VALUE;
        };
    }

    /** The declared length of {@code varchar(40)} or {@code char(2)}, or 0. */
    static int length(String type) {
        java.util.regex.Matcher length = LENGTH.matcher(type);
        return length.find() ? Integer.parseInt(length.group(1)) : 0;
    }

    /** Whether a value of this type keeps its type when its letters and digits are hashed in place. */
    boolean hashable(String type) {
        return textual(type) || alsoHashable.matcher(type.toLowerCase(Locale.ROOT)).matches();
    }
}
