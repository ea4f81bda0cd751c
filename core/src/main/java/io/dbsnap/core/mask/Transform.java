package io.dbsnap.core.mask;

import java.util.Locale;

/**
 * What a masking rule does to one column's values. NULL stays NULL under every transform but {@code null}
 * itself: a missing value has nothing to hide, and keeping it keeps the column's shape.
 */
public sealed interface Transform {

    /** How a rules file writes it, for messages and plans. */
    String describe();

    /** Whether the value is rewritten as the dump streams by ({@code sql} runs in the database instead). */
    default boolean inStream() {
        return true;
    }

    /** Whether it needs the masking key (deterministic output derived from the input). */
    default boolean needsKey() {
        return false;
    }

    record Keep() implements Transform {
        @Override
        public String describe() {
            return "keep";
        }

        @Override
        public boolean inStream() {
            return false;
        }
    }

    record SetNull() implements Transform {
        @Override
        public String describe() {
            return "null";
        }
    }

    record Fixed(String value) implements Transform {
        @Override
        public String describe() {
            return "fixed " + value;
        }
    }

    /**
     * A keyed hash shaped like the input: same length, letters stay letters, digits digits, e-mails e-mails;
     * an integer is permuted among those of its length up to {@code integerMax}, the column type's largest.
     */
    record Hash(long integerMax) implements Transform {

        public Hash() {
            this(Long.MAX_VALUE);
        }

        @Override
        public String describe() {
            return "hash";
        }

        @Override
        public boolean needsKey() {
            return true;
        }
    }

    /** A realistic value of a kind, chosen by a keyed hash of the input, so the same input gives the same one. */
    record Fake(Kind kind) implements Transform {
        public enum Kind {
            NAME, EMAIL, PHONE, ADDRESS, IBAN;

            /** Whether it has values enough for a unique column (e-mails and IBANs carry hashed digits). */
            boolean manyValues() {
                return this == EMAIL || this == IBAN;
            }

            static Kind parse(String text) {
                try {
                    return valueOf(text.strip().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new MaskRulesException("'fake " + text + "' is not a kind dbsnap fakes: name, email, phone, "
                            + "address or iban");
                }
            }
        }

        @Override
        public String describe() {
            return "fake " + kind.name().toLowerCase(Locale.ROOT);
        }

        @Override
        public boolean needsKey() {
            return true;
        }
    }

    /** A SQL expression over the row's columns, evaluated by the target database as each row arrives. */
    record Sql(String expression) implements Transform {
        @Override
        public String describe() {
            return "sql " + expression;
        }

        @Override
        public boolean inStream() {
            return false;
        }
    }
}
