package io.dbsnap.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The discovery documents kubectl reads before anything else ({@code /version}, {@code /api},
 * {@code /apis}, one APIResourceList per group/version): the built-in resources the sandbox serves,
 * and those of the CRDs applied to it, read from the CRDs themselves (as an API server does).
 */
final class Discovery {

    record Resource(String name, String kind, boolean namespaced, List<String> shortNames) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch",
            "update", "watch");

    /** group/version -> built-in resources; the empty group is the core API. */
    static final Map<String, List<Resource>> BUILT_IN = Map.of(
            "v1", List.of(
                    new Resource("pods", "Pod", true, List.of("po")),
                    new Resource("secrets", "Secret", true, List.of()),
                    new Resource("serviceaccounts", "ServiceAccount", true, List.of("sa")),
                    new Resource("events", "Event", true, List.of("ev")),
                    new Resource("namespaces", "Namespace", false, List.of("ns")),
                    new Resource("configmaps", "ConfigMap", true, List.of("cm"))),
            "batch/v1", List.of(new Resource("jobs", "Job", true, List.of())),
            "rbac.authorization.k8s.io/v1", List.of(
                    new Resource("roles", "Role", true, List.of()),
                    new Resource("rolebindings", "RoleBinding", true, List.of())),
            "apiextensions.k8s.io/v1", List.of(
                    new Resource("customresourcedefinitions", "CustomResourceDefinition", false, List.of("crd", "crds"))),
            "events.k8s.io/v1", List.of(new Resource("events", "Event", true, List.of("ev"))));

    private Discovery() {
    }

    /** Whether a GET of this path asks for a discovery document (and the CRDs must be read to answer). */
    static boolean isDiscovery(String path) {
        return path.equals("/version") || path.equals("/api") || path.equals("/apis") || path.equals("/api/v1")
                || path.matches("/apis/[^/]+/[^/]+");
    }

    /** group/version -> resources of the CRDs in a CustomResourceDefinitionList, served versions only. */
    static Map<String, List<Resource>> fromCrds(JsonNode crdList) {
        Map<String, List<Resource>> resources = new TreeMap<>();
        for (JsonNode crd : crdList.path("items")) {
            JsonNode spec = crd.path("spec");
            JsonNode names = spec.path("names");
            List<String> shortNames = new ArrayList<>();
            names.path("shortNames").forEach(n -> shortNames.add(n.asText()));
            Resource resource = new Resource(names.path("plural").asText(), names.path("kind").asText(),
                    "Namespaced".equals(spec.path("scope").asText()), shortNames);
            for (JsonNode version : spec.path("versions")) {
                if (version.path("served").asBoolean(false)) {
                    resources.computeIfAbsent(spec.path("group").asText() + "/" + version.path("name").asText(),
                            gv -> new ArrayList<>()).add(resource);
                }
            }
        }
        return resources;
    }

    /** The discovery document for a path, if it is one; {@code custom} from {@link #fromCrds}. */
    static Optional<String> document(String path, String serverAddress, Map<String, List<Resource>> custom) {
        Map<String, List<Resource>> served = new TreeMap<>(BUILT_IN);
        custom.forEach((gv, list) -> served.merge(gv, list, (a, b) -> {
            List<Resource> both = new ArrayList<>(a);
            both.addAll(b);
            return both;
        }));
        if (path.equals("/version")) {
            return Optional.of("{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0-dbsnap-sandbox\","
                    + "\"platform\":\"linux/amd64\"}");
        }
        if (path.equals("/api")) {
            ObjectNode versions = JSON.createObjectNode().put("kind", "APIVersions");
            versions.putArray("versions").add("v1");
            versions.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0")
                    .put("serverAddress", serverAddress);
            return Optional.of(versions.toString());
        }
        if (path.equals("/apis")) {
            ObjectNode list = JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
            ArrayNode groups = list.putArray("groups");
            served.keySet().stream().filter(gv -> gv.contains("/")).sorted().forEach(gv -> {
                String group = gv.substring(0, gv.indexOf('/'));
                String version = gv.substring(gv.indexOf('/') + 1);
                ObjectNode g = groups.addObject().put("name", group);
                g.putArray("versions").addObject().put("groupVersion", gv).put("version", version);
                g.putObject("preferredVersion").put("groupVersion", gv).put("version", version);
            });
            return Optional.of(list.toString());
        }
        String groupVersion = path.startsWith("/api/") ? path.substring("/api/".length())
                : path.startsWith("/apis/") ? path.substring("/apis/".length()) : null;
        if (groupVersion == null || !served.containsKey(groupVersion)) {
            return Optional.empty();
        }
        ObjectNode list = JSON.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", groupVersion);
        ArrayNode resources = list.putArray("resources");
        for (Resource r : served.get(groupVersion)) {
            ObjectNode node = resources.addObject().put("name", r.name()).put("singularName", r.kind().toLowerCase())
                    .put("namespaced", r.namespaced()).put("kind", r.kind());
            VERBS.forEach(node.putArray("verbs")::add);
            r.shortNames().forEach(node.putArray("shortNames")::add);
            for (String sub : r.name().equals("pods") ? List.of("status", "exec", "log")
                    : List.of("status")) {
                resources.addObject().put("name", r.name() + "/" + sub).put("singularName", "")
                        .put("namespaced", r.namespaced()).put("kind", sub.equals("exec") ? "PodExecOptions" : r.kind())
                        .putArray("verbs").add(sub.equals("exec") ? "create" : "get");
            }
        }
        return Optional.of(list.toString());
    }
}
