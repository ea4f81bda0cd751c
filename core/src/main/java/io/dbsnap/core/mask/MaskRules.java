package io.dbsnap.core.mask;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A masking rules file:
 * <pre>
 * strict: true                 # every column of every table needs a rule (keep included)
 * tables:
 *   public.customers:          # schema.table (PostgreSQL; a bare name is in public), table or db.table (MySQL)
 *     id: keep
 *     email: hash              # keyed, deterministic, shaped like the input
 *     name: fake name          # name, email, phone, address, iban
 *     notes: null
 *     country: fixed XX        # or {fixed: " XX "} for a value with spaces
 *     balance: sql round(balance, -2)
 * </pre>
 * Unknown keys are refused: a misspelt {@code strict} must not silently turn the gate off.
 */
public final class MaskRules {

    /** A key given twice is refused: otherwise the second would silently win and the first rule vanish. */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Set<String> TOP_LEVEL = Set.of("strict", "tables");

    private final boolean strict;
    private final Map<String, Map<String, Transform>> tables;

    MaskRules(boolean strict, Map<String, Map<String, Transform>> tables) {
        this.strict = strict;
        this.tables = Collections.unmodifiableMap(tables);
    }

    public static MaskRules read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new MaskRulesException("cannot read the masking rules " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    public static MaskRules parse(String yaml, String origin) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new MaskRulesException("the masking rules " + origin + " are not valid YAML: "
                    + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MaskRulesException("the masking rules " + origin + " must be a mapping with 'tables' (and "
                    + "optionally 'strict')");
        }
        for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!TOP_LEVEL.contains(key)) {
                throw new MaskRulesException("the masking rules " + origin + " have an unknown key '" + key
                        + "': they take 'strict' and 'tables'");
            }
        }
        JsonNode strict = root.path("strict");
        if (!strict.isMissingNode() && !strict.isBoolean()) {
            throw new MaskRulesException("'strict' in " + origin + " must be true or false");
        }
        JsonNode tablesNode = root.path("tables");
        if (!tablesNode.isObject()) {
            throw new MaskRulesException("the masking rules " + origin + " need 'tables', a mapping of table to "
                    + "a mapping of column to rule");
        }
        Map<String, Map<String, Transform>> tables = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tablesNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> table = it.next();
            if (!table.getValue().isObject()) {
                throw new MaskRulesException("table " + table.getKey() + " in " + origin
                        + " must map its columns to rules");
            }
            Map<String, Transform> columns = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> cols = table.getValue().fields(); cols.hasNext(); ) {
                Map.Entry<String, JsonNode> column = cols.next();
                columns.put(column.getKey(), transform(column.getValue(), table.getKey() + "." + column.getKey()));
            }
            tables.put(table.getKey(), columns);
        }
        return new MaskRules(strict.asBoolean(false), tables);
    }

    /** {@code keep}, {@code hash}, {@code null} (or YAML null), {@code fake KIND}, {@code fixed V}, {@code sql E}. */
    static Transform transform(JsonNode node, String where) {
        if (node.isNull()) {
            return new Transform.SetNull();
        }
        if (node.isObject() && node.size() == 1) {
            Map.Entry<String, JsonNode> only = node.fields().next();
            if (only.getValue().isValueNode() && !only.getValue().isNull()) {
                return transform(only.getKey(), only.getValue().asText(), where);
            }
        }
        if (!node.isTextual()) {
            throw new MaskRulesException(where + ": '" + node + "' is not a rule; write keep, hash, null, "
                    + "fake KIND, fixed VALUE or sql EXPRESSION");
        }
        String text = node.asText().strip();
        int space = text.indexOf(' ');
        return space < 0 ? transform(text, null, where) : transform(text.substring(0, space),
                text.substring(space + 1).strip(), where);
    }

    private static Transform transform(String kind, String argument, String where) {
        Transform transform = switch (kind) {
            case "keep" -> argument == null ? new Transform.Keep() : null;
            case "hash" -> argument == null ? new Transform.Hash() : null;
            case "null" -> argument == null ? new Transform.SetNull() : null;
            case "fixed" -> argument == null ? null : new Transform.Fixed(argument);
            case "fake" -> argument == null ? null : new Transform.Fake(Transform.Fake.Kind.parse(argument));
            case "sql" -> argument == null || argument.isBlank() ? null : new Transform.Sql(argument);
            default -> null;
        };
        if (transform == null) {
            throw new MaskRulesException(where + ": '" + kind + (argument == null ? "" : " " + argument)
                    + "' is not a rule; write keep, hash, null, fake KIND, fixed VALUE or sql EXPRESSION");
        }
        return transform;
    }

    public boolean strict() {
        return strict;
    }

    /** Table as written in the rules -> column -> transform, in the file's order. */
    public Map<String, Map<String, Transform>> tables() {
        return tables;
    }

    /** Whether any rule derives its output from the input with the key. */
    public boolean needsKey() {
        return tables.values().stream().flatMap(c -> c.values().stream()).anyMatch(Transform::needsKey);
    }
}
