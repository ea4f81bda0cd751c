package io.dbsnap.sandbox;

import java.util.List;
import java.util.Optional;

/**
 * What RBAC decides on, read from a request as the API server's RequestInfoFactory reads it: the verb
 * (from the method, a name and {@code watch}), API group, resource and subresource, namespace and name.
 * Discovery and {@code /version} are not resource requests: every authenticated caller may read them.
 */
record RequestAttributes(String verb, String group, String resource, String subresource, String namespace,
                         String name) {

    /** {@code resource} or {@code resource/subresource}, as a rule names it. */
    String qualifiedResource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }

    /** exec, attach and port-forward: a websocket upgrade, which is a GET. */
    boolean isStream() {
        return subresource.equals("exec") || subresource.equals("attach") || subresource.equals("portforward");
    }

    RequestAttributes withVerb(String other) {
        return new RequestAttributes(other, group, resource, subresource, namespace, name);
    }

    /** Empty for a request that names no resource (discovery, {@code /version}, health). */
    static Optional<RequestAttributes> of(String method, String path, String query) {
        List<String> parts = List.of(path.replaceAll("^/+|/+$", "").split("/"));
        String group;
        int rest;
        if (parts.size() >= 2 && parts.get(0).equals("api")) {
            group = "";
            rest = 2;
        } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            rest = 3;
        } else {
            return Optional.empty();
        }
        List<String> tail = parts.subList(rest, parts.size());
        if (tail.isEmpty()) {
            return Optional.empty();
        }
        String namespace = "";
        // namespaces/NS/RESOURCE...; but namespaces and namespaces/NAME are the namespace objects themselves
        if (tail.get(0).equals("namespaces") && tail.size() >= 3) {
            namespace = tail.get(1);
            tail = tail.subList(2, tail.size());
        }
        String resource = tail.get(0);
        String name = tail.size() > 1 ? tail.get(1) : "";
        String subresource = tail.size() > 2 ? tail.get(2) : "";
        if (resource.equals("namespaces") && !name.isEmpty()) {
            namespace = name; // as Kubernetes does: a namespace is in itself
        }
        boolean watch = query.matches("(^|.*&)watch=(true|1)(&.*|$)");
        String verb = switch (method) {
            case "GET", "HEAD" -> watch ? "watch" : name.isEmpty() ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
            default -> method.toLowerCase();
        };
        if (name.isEmpty() && (verb.equals("list") || verb.equals("watch"))) {
            // as the API server does: a list or watch of one object by field selector is authorized by its name
            name = oneName(query);
        }
        return Optional.of(new RequestAttributes(verb, group, resource, subresource, namespace, name));
    }

    private static String oneName(String query) {
        for (String pair : query.split("&")) {
            String decoded = java.net.URLDecoder.decode(pair, java.nio.charset.StandardCharsets.UTF_8);
            java.util.regex.Matcher selector = java.util.regex.Pattern.compile("^fieldSelector=metadata\\.name==?([^,]+)$")
                    .matcher(decoded);
            if (selector.matches()) {
                return selector.group(1);
            }
        }
        return "";
    }
}
