package io.dbsnap.core.mask;

/** A restore's masking: the rules and the key their {@code hash} and {@code fake} rules use (null when none does). */
public record Masking(MaskRules rules, MaskKey key) {

    public MaskPlan bind(java.util.List<DumpTable> tables, Dialect dialect) {
        return MaskPlan.bind(rules, key, tables, dialect);
    }
}
