package io.dbsnap.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * What an API server answers {@code kubectl get} with (a meta.k8s.io/v1 Table): the columns a
 * CRD's additionalPrinterColumns name, so the sandbox shows what a cluster shows.
 */
final class TableView {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TableView() {
    }

    /** A Table of {@code body} (one object or a list) with the printer columns of {@code crd}'s served version. */
    static String of(JsonNode crd, JsonNode body, Instant now) {
        JsonNode columns = printerColumns(crd, body);
        ObjectNode table = JSON.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata").put("resourceVersion", body.path("metadata").path("resourceVersion").asText(""));
        ArrayNode definitions = table.putArray("columnDefinitions");
        definitions.addObject().put("name", "Name").put("type", "string").put("format", "name").put("priority", 0)
                .put("description", "Name of the resource");
        for (JsonNode column : columns) {
            definitions.addObject().put("name", column.path("name").asText())
                    .put("type", column.path("type").asText("string")).put("format", "")
                    .put("priority", column.path("priority").asInt(0))
                    .put("description", column.path("description").asText(""));
        }
        ArrayNode rows = table.putArray("rows");
        JsonNode items = body.has("items") ? body.get("items") : JSON.createArrayNode().add(body);
        for (JsonNode item : items) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            cells.add(item.path("metadata").path("name").asText());
            for (JsonNode column : columns) {
                JsonNode value = at(item, column.path("jsonPath").asText());
                if (value == null || value.isMissingNode() || value.isNull()) {
                    cells.addNull();
                } else if ("date".equals(column.path("type").asText())) {
                    cells.add(age(value.asText(), now));
                } else {
                    cells.add(value);
                }
            }
            ObjectNode object = row.putObject("object").put("kind", "PartialObjectMetadata")
                    .put("apiVersion", "meta.k8s.io/v1");
            object.set("metadata", item.path("metadata"));
        }
        return table.toString();
    }

    private static JsonNode printerColumns(JsonNode crd, JsonNode body) {
        String apiVersion = body.has("items") && body.get("items").size() > 0
                ? body.get("items").get(0).path("apiVersion").asText() : body.path("apiVersion").asText();
        String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (v.path("name").asText().equals(version) || version.isEmpty()) {
                return v.path("additionalPrinterColumns");
            }
        }
        return JSON.createArrayNode();
    }

    /** A simple {@code .a.b.c} JSONPath, as printer columns use. */
    static JsonNode at(JsonNode node, String jsonPath) {
        JsonNode current = node;
        for (String part : jsonPath.replaceFirst("^\\.", "").split("\\.")) {
            current = current.path(part);
        }
        return current;
    }

    /** kubectl's short ages: 45s, 5m12s, 3h, 2d. */
    static String age(String timestamp, Instant now) {
        Duration d;
        try {
            d = Duration.between(Instant.parse(timestamp), now);
        } catch (DateTimeParseException e) {
            return "<unknown>";
        }
        long s = Math.max(0, d.getSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 600) {
            return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        }
        if (s < 3 * 3600) {
            return (s / 60) + "m";
        }
        if (s < 48 * 3600) {
            return (s / 3600) + "h";
        }
        return (s / 86400) + "d";
    }
}
