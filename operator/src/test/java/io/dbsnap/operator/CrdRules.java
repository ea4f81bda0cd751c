package io.dbsnap.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A CRD schema's {@code x-kubernetes-validations} rules, evaluated as the API server does (with
 * cel-java): each rule at its node, with {@code self} the value there and, for a transition rule,
 * {@code oldSelf} the value before the update. A rule that does not compile is a failure too.
 */
public final class CrdRules {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN).addVar("oldSelf", SimpleType.DYN).build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    private CrdRules() {
    }

    /** Messages of the rules {@code value} breaks on create (transition rules do not apply). */
    public static List<String> onCreate(JsonNode schema, JsonNode value, String path) {
        return violations(schema, value, null, path);
    }

    /** Messages of the rules an update from {@code before} to {@code after} breaks. */
    public static List<String> onUpdate(JsonNode schema, JsonNode before, JsonNode after, String path) {
        return violations(schema, after, before, path);
    }

    /** How many rules the schema holds, so a test can tell that it evaluated some. */
    public static int count(JsonNode schema) {
        int n = schema.path("x-kubernetes-validations").size();
        for (JsonNode child : schema.path("properties")) {
            n += count(child);
        }
        return n + (schema.has("items") ? count(schema.get("items")) : 0);
    }

    private static List<String> violations(JsonNode schema, JsonNode value, JsonNode old, String path) {
        List<String> found = new ArrayList<>();
        if (value == null || value.isMissingNode() || value.isNull()) {
            return found;
        }
        for (JsonNode rule : schema.path("x-kubernetes-validations")) {
            String expression = rule.path("rule").asText();
            boolean transition = expression.contains("oldSelf");
            if (transition && old == null) {
                continue;
            }
            Map<String, Object> vars = new HashMap<>();
            vars.put("self", plain(value));
            if (transition) {
                vars.put("oldSelf", plain(old));
            }
            if (!Boolean.TRUE.equals(evaluate(expression, vars))) {
                found.add(path + ": " + rule.path("message").asText(expression));
            }
        }
        JsonNode properties = schema.path("properties");
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            found.addAll(violations(property.getValue(), value.path(property.getKey()),
                    old == null ? null : old.path(property.getKey()), path + "." + property.getKey()));
        }
        if (schema.has("items") && value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                found.addAll(violations(schema.get("items"), value.get(i), null, path + "[" + i + "]"));
            }
        }
        return found;
    }

    private static Object evaluate(String expression, Map<String, Object> vars) {
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
            return RUNTIME.createProgram(ast).eval(vars);
        } catch (CelValidationException | CelEvaluationException e) {
            throw new AssertionError("CRD rule " + expression + " cannot be evaluated: " + e.getMessage(), e);
        }
    }

    /** JSON as CEL's Java values: maps, lists, strings, longs, doubles, booleans. */
    private static Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new HashMap<>();
            node.fields().forEachRemaining(f -> map.put(f.getKey(), plain(f.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(plain(item)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return JSON.convertValue(node, String.class);
    }
}
