package io.dbsnap.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mock server's CRUD store, plus what kubectl and pod exec need: discovery documents, Table
 * answers with a CRD's printer columns, query parameters the store does not understand left out,
 * and exec run as a local process with the pod's environment.
 */
final class SandboxDispatcher extends KubernetesCrudDispatcher {

    private static final Pattern EXEC = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/]+)/exec$");
    private static final Pattern CUSTOM = Pattern.compile("^/apis/([^/]+)/([^/]+)/(?:namespaces/[^/]+/)?([^/]+)(?:/[^/]+)?$");
    /** Parameters of kubectl's writes and lists that the CRUD store would take for part of the path. */
    private static final Set<String> IGNORED_PARAMS = Set.of("fieldManager", "fieldValidation", "limit",
            "includeObject", "timeout", "propagationPolicy", "dryRun");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String RULES_REVIEW = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private volatile String serverAddress = "127.0.0.1:0";
    private volatile ExecFault execFault = ExecFault.NONE;
    /** Bearer token to the ServiceAccount (NAMESPACE/NAME) it stands for; any other caller is the admin. */
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final RbacAuthorizer rbac = new RbacAuthorizer(new RbacAuthorizer.Store() {
        @Override
        public <T> Optional<T> get(String path, Class<T> type) {
            MockResponse response = handleGet(path);
            return response.code() == 200 ? Optional.of(SERIALIZATION.unmarshal(response.getBody().readUtf8(), type))
                    : Optional.empty();
        }
    });

    void serverAddress(String value) {
        serverAddress = value;
    }

    void execFault(ExecFault fault) {
        execFault = fault;
    }

    /** A new token that authenticates as {@code namespace/serviceAccount}, whose requests RBAC then decides. */
    String token(String namespace, String serviceAccount) {
        String token = "sa-" + UUID.randomUUID();
        tokens.put(token, namespace + "/" + serviceAccount);
        return token;
    }

    RbacAuthorizer rbac() {
        return rbac;
    }

    /** Requests served, by the client's name (the User-Agent up to its first '/'): what a client costs the server. */
    private final java.util.concurrent.ConcurrentMap<String, java.util.concurrent.atomic.LongAdder> served =
            new java.util.concurrent.ConcurrentHashMap<>();

    java.util.SortedMap<String, Long> served() {
        java.util.SortedMap<String, Long> counts = new java.util.TreeMap<>();
        served.forEach((client, count) -> counts.put(client, count.sum()));
        return counts;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String agent = java.util.Objects.requireNonNullElse(request.getHeader("User-Agent"), "unknown");
        served.computeIfAbsent(agent.split("/", 2)[0], k -> new java.util.concurrent.atomic.LongAdder()).increment();
        String path = request.getPath();
        int q = path.indexOf('?');
        String bare = q < 0 ? path : path.substring(0, q);
        String query = q < 0 ? "" : path.substring(q + 1);
        if ("POST".equals(request.getMethod()) && bare.equals(RULES_REVIEW)) {
            return rulesReview(request);
        }
        Optional<MockResponse> refused = authorize(request, bare, query);
        if (refused.isPresent()) {
            return refused.get();
        }
        if ("GET".equals(request.getMethod()) && Discovery.isDiscovery(bare)) {
            Optional<String> discovery = Discovery.document(bare, serverAddress, appliedCrds());
            if (discovery.isPresent()) {
                return json(200, discovery.get());
            }
        }
        Matcher exec = EXEC.matcher(bare);
        if (exec.matches()) {
            return exec(exec.group(1), exec.group(2), params(query));
        }
        RecordedRequest cleaned = new RecordedRequest(request.getHttpVersion(), request.method(),
                bare + keptQuery(query), request.getHeaders(), request.getBody());
        MockResponse response = super.dispatch(cleaned);
        String accept = request.getHeader("Accept");
        if ("GET".equals(request.getMethod()) && accept != null && accept.contains("as=Table")
                && response.code() == 200 && !query.contains("watch=")) {
            return table(bare, response).orElse(response);
        }
        return response;
    }

    /**
     * A request with a ServiceAccount's token is decided by RBAC (401 for a token nobody issued, 403 for a
     * rule nobody granted); requests without one are the admin's: the tests' and the sandbox's own.
     */
    private Optional<MockResponse> authorize(RecordedRequest request, String bare, String query) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.startsWith("Bearer sa-")) {
            return Optional.empty();
        }
        String account = accountOf(request);
        if (account == null) {
            return Optional.of(status(401, "Unauthorized", "Unauthorized"));
        }
        Optional<RequestAttributes> attributes = RequestAttributes.of(request.getMethod(), bare, query);
        if (attributes.isEmpty()) {
            return Optional.empty();
        }
        Optional<Object> body = Optional.empty();
        boolean writes = Set.of("create", "update").contains(attributes.get().verb()) && request.getBody() != null
                && request.getBody().size() > 0;
        if (writes && attributes.get().group().equals("rbac.authorization.k8s.io")) {
            body = Optional.of(SERIALIZATION.unmarshal(new String(request.getBody().getBytes(), StandardCharsets.UTF_8)));
        }
        RbacAuthorizer.Decision decision = rbac.decide(account, attributes.get(), body);
        if (decision.allowed() && writes) {
            decision = blockingOwners(account, attributes.get(), request.getBody().getBytes());
        }
        if (decision.allowed()) {
            return Optional.empty();
        }
        System.err.println("sandbox RBAC denied: " + decision.message()); // what a cluster's audit log would show
        return Optional.of(status(403, "Forbidden", decision.message()));
    }

    /**
     * The OwnerReferencesPermissionEnforcement admission plugin: an owner reference that blocks its owner's
     * deletion may only be set by whoever may update the owner's finalizers.
     */
    private RbacAuthorizer.Decision blockingOwners(String account, RequestAttributes request, byte[] body) {
        try {
            for (JsonNode owner : JSON.readTree(body).path("metadata").path("ownerReferences")) {
                if (!owner.path("blockOwnerDeletion").asBoolean(false)) {
                    continue;
                }
                String apiVersion = owner.path("apiVersion").asText();
                String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
                String kind = owner.path("kind").asText().toLowerCase();
                RequestAttributes finalizers = new RequestAttributes("update", group, kind + (kind.endsWith("s") ? "es" : "s"),
                        "finalizers", request.namespace(), owner.path("name").asText());
                RbacAuthorizer.Decision decision = rbac.decide(account, finalizers, Optional.empty());
                if (!decision.allowed()) {
                    return new RbacAuthorizer.Decision(false, request.qualifiedResource() + " \"" + request.name()
                            + "\" is forbidden: cannot set blockOwnerDeletion if an ownerReference refers to a resource you"
                            + " can't set finalizers on: " + decision.message());
                }
            }
        } catch (IOException e) {
            return new RbacAuthorizer.Decision(true, ""); // not JSON: the store answers it
        }
        return new RbacAuthorizer.Decision(true, "");
    }

    /** The ServiceAccount (NAMESPACE/NAME) whose token the request carries; null for none, or one nobody issued. */
    private String accountOf(RecordedRequest request) {
        String header = request.getHeader("Authorization");
        return header == null || !header.startsWith("Bearer ") ? null
                : tokens.get(header.substring("Bearer ".length()).trim());
    }

    /** What a caller may do in a namespace, as the API server answers it (JOSDK asks before leader election). */
    private MockResponse rulesReview(RecordedRequest request) {
        SelfSubjectRulesReview review = SERIALIZATION.unmarshal(request.getUtf8Body(), SelfSubjectRulesReview.class);
        String account = accountOf(request);
        List<ResourceRule> rules = account == null
                ? List.of(new ResourceRuleBuilder().withApiGroups("*").withResources("*").withVerbs("*").build())
                : rbac.rulesOf(account, review.getSpec().getNamespace()).stream().map(r -> new ResourceRuleBuilder()
                        .withApiGroups(r.getApiGroups()).withResources(r.getResources()).withVerbs(r.getVerbs())
                        .withResourceNames(r.getResourceNames()).build()).toList();
        review.setStatus(new SubjectRulesReviewStatusBuilder().withResourceRules(rules).withIncomplete(false).build());
        return json(201, SERIALIZATION.asJson(review));
    }

    private static MockResponse status(int code, String reason, String message) {
        return json(code, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\""
                + reason + "\",\"message\":" + quoted(message) + ",\"code\":" + code + "}");
    }

    private static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The resources of the CRDs applied so far, as discovery shows them. */
    private Map<String, List<Discovery.Resource>> appliedCrds() {
        MockResponse crds = handleGet("/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
        if (crds.code() != 200) {
            return Map.of();
        }
        try {
            return Discovery.fromCrds(JSON.readTree(crds.getBody().getBytes()));
        } catch (IOException e) {
            return Map.of();
        }
    }

    private Optional<MockResponse> table(String path, MockResponse response) {
        Matcher custom = CUSTOM.matcher(path);
        if (!custom.matches()) {
            return Optional.empty();
        }
        MockResponse crdResponse = handleGet("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/"
                + custom.group(3) + "." + custom.group(1));
        if (crdResponse.code() != 200) {
            return Optional.empty();
        }
        try {
            JsonNode crd = JSON.readTree(crdResponse.getBody().getBytes());
            JsonNode body = JSON.readTree(response.getBody().getBytes());
            return Optional.of(json(200, TableView.of(crd, body, Instant.now())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private MockResponse exec(String namespace, String name, Map<String, List<String>> params) {
        MockResponse podResponse = handleGet("/api/v1/namespaces/" + namespace + "/pods/" + name);
        if (podResponse.code() != 200) {
            return status(404, "NotFound", "pods \"" + name + "\" not found");
        }
        Pod pod = SERIALIZATION.unmarshal(podResponse.getBody().readUtf8(), Pod.class);
        String containerName = params.getOrDefault("container", List.of()).stream().findFirst().orElse(null);
        Container container = pod.getSpec().getContainers().stream()
                .filter(c -> containerName == null || c.getName().equals(containerName)).findFirst()
                .orElse(pod.getSpec().getContainers().get(0));
        Map<String, String> env = ContainerEnvironment.base();
        env.putAll(ContainerEnvironment.resolve(container, pod.getMetadata(), this::secretData, this::configMapData));
        List<String> command = params.getOrDefault("command", List.of());
        if (params.getOrDefault("tty", List.of()).contains("true")) {
            command = onPseudoTerminal(command);
        }
        return new MockResponse().withWebSocketUpgrade(new LocalExec(command, env, execFault));
    }

    /**
     * The command on a pseudo-terminal, as a kubelet runs an exec with {@code tty=true}: util-linux
     * script(1) (Debian's essential bsdutils) allocates it, echo on, and returns the command's status.
     */
    static List<String> onPseudoTerminal(List<String> command) {
        StringBuilder line = new StringBuilder("exec");
        for (String arg : command) {
            line.append(" '").append(arg.replace("'", "'\\''")).append('\'');
        }
        return List.of("script", "-qec", line.toString(), "/dev/null");
    }

    Optional<Map<String, String>> configMapData(String namespace, String name) {
        return dataOf("/api/v1/namespaces/" + namespace + "/configmaps/" + name);
    }

    /** A Secret's base64 data. */
    Optional<Map<String, String>> secretData(String namespace, String name) {
        return dataOf("/api/v1/namespaces/" + namespace + "/secrets/" + name);
    }

    /** The {@code data} of the object at {@code path}, empty when there is none. */
    private Optional<Map<String, String>> dataOf(String path) {
        MockResponse response = handleGet(path);
        if (response.code() != 200) {
            return Optional.empty();
        }
        try {
            JsonNode data = JSON.readTree(response.getBody().getBytes()).path("data");
            Map<String, String> values = new LinkedHashMap<>();
            data.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
            return Optional.of(values);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String keptQuery(String query) {
        if (query.isEmpty()) {
            return "";
        }
        List<String> kept = new ArrayList<>();
        for (String pair : query.split("&")) {
            String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            if (!IGNORED_PARAMS.contains(key)) {
                kept.add(pair);
            }
        }
        return kept.isEmpty() ? "" : "?" + String.join("&", kept);
    }

    private static Map<String, List<String>> params(String query) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }
}
