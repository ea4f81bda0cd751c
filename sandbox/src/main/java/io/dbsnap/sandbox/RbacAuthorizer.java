package io.dbsnap.sandbox;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingList;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingList;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kubernetes RBAC over the sandbox's own store, for callers that present a ServiceAccount's token:
 * Roles and ClusterRoles reached through RoleBindings and ClusterRoleBindings, rules matched by group,
 * resource (and subresource), verb and resource name, and the escalation check that stops a caller
 * from granting, in a Role or a binding, what it does not hold itself. Everything it allowed is
 * remembered per user, so a test can show that each granted rule was needed.
 */
final class RbacAuthorizer {

    private static final String RBAC = "rbac.authorization.k8s.io";

    /** How the authorizer reads the store: one object, or a list, by API path. */
    interface Store {
        <T> Optional<T> get(String path, Class<T> type);
    }

    /** The outcome: allowed, or the message a 403 carries. */
    record Decision(boolean allowed, String message) {
    }

    private final Store store;
    private final ConcurrentHashMap<String, Set<String>> used = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, List<String>> denied = new ConcurrentHashMap<>();

    RbacAuthorizer(Store store) {
        this.store = store;
    }

    /** Whether {@code serviceAccount} (NAMESPACE/NAME) may make this request, with its body for RBAC writes. */
    Decision decide(String serviceAccount, RequestAttributes request, Optional<Object> body) {
        String user = user(serviceAccount);
        if (!allows(serviceAccount, request)) {
            return refuse(serviceAccount, forbidden(user, request));
        }
        // a websocket exec is a GET, authorized as get; newer API servers (AuthorizePodWebsocketUpgradeCreatePermission)
        // also ask for create: the sandbox asks for both, as the strictest cluster would
        if (request.isStream() && request.verb().equals("get") && !allows(serviceAccount, request.withVerb("create"))) {
            return refuse(serviceAccount, forbidden(user, request.withVerb("create")));
        }
        Optional<String> escalation = body.flatMap(b -> escalation(serviceAccount, request, b));
        if (escalation.isPresent()) {
            return refuse(serviceAccount, escalation.get());
        }
        Set<String> usedBy = used.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet());
        usedBy.add(request.group() + " " + request.qualifiedResource() + " " + request.verb());
        if (request.isStream() && request.verb().equals("get")) {
            usedBy.add(request.group() + " " + request.qualifiedResource() + " create");
        }
        return new Decision(true, "");
    }

    /** What was refused to {@code serviceAccount} so far, in the API server's words, oldest first. */
    List<String> denied(String serviceAccount) {
        return List.copyOf(denied.getOrDefault(user(serviceAccount), List.of()));
    }

    private Decision refuse(String serviceAccount, String message) {
        denied.computeIfAbsent(user(serviceAccount), u -> java.util.Collections.synchronizedList(new ArrayList<>()))
                .add(message);
        return new Decision(false, message);
    }

    /** Every "GROUP RESOURCE VERB" that {@code serviceAccount} was allowed so far. */
    SortedSet<String> used(String serviceAccount) {
        return new TreeSet<>(used.getOrDefault(user(serviceAccount), Set.of()));
    }

    private boolean allows(String serviceAccount, RequestAttributes request) {
        return rulesOf(serviceAccount, request.namespace()).stream().anyMatch(rule -> matches(rule, request));
    }

    /** The rules that apply to the account in {@code namespace} ("" for cluster-scoped requests). */
    List<PolicyRule> rulesOf(String serviceAccount, String namespace) {
        List<PolicyRule> rules = new ArrayList<>();
        store.get("/apis/" + RBAC + "/v1/clusterrolebindings", ClusterRoleBindingList.class)
                .map(KubernetesResourceList::getItems).orElse(List.of()).stream()
                .filter(b -> binds(b.getSubjects(), serviceAccount))
                .forEach(b -> rules.addAll(roleRules(b.getRoleRef(), "")));
        if (!namespace.isEmpty()) {
            store.get("/apis/" + RBAC + "/v1/namespaces/" + namespace + "/rolebindings", RoleBindingList.class)
                    .map(KubernetesResourceList::getItems).orElse(List.of()).stream()
                    .filter(b -> binds(b.getSubjects(), serviceAccount))
                    .forEach(b -> rules.addAll(roleRules(b.getRoleRef(), namespace)));
        }
        return rules;
    }

    private List<PolicyRule> roleRules(RoleRef ref, String namespace) {
        if (ref == null) {
            return List.of();
        }
        Optional<List<PolicyRule>> rules = "ClusterRole".equals(ref.getKind())
                ? store.get("/apis/" + RBAC + "/v1/clusterroles/" + ref.getName(), ClusterRole.class).map(ClusterRole::getRules)
                : store.get("/apis/" + RBAC + "/v1/namespaces/" + namespace + "/roles/" + ref.getName(), Role.class)
                        .map(Role::getRules);
        return rules.orElse(List.of());
    }

    private static boolean binds(List<Subject> subjects, String serviceAccount) {
        String namespace = serviceAccount.substring(0, serviceAccount.indexOf('/'));
        String name = serviceAccount.substring(serviceAccount.indexOf('/') + 1);
        return subjects != null && subjects.stream().anyMatch(s -> switch (String.valueOf(s.getKind())) {
            case "ServiceAccount" -> name.equals(s.getName()) && namespace.equals(s.getNamespace());
            case "Group" -> Set.of("system:serviceaccounts", "system:serviceaccounts:" + namespace,
                    "system:authenticated").contains(s.getName());
            default -> false;
        });
    }

    static boolean matches(PolicyRule rule, RequestAttributes request) {
        return has(rule.getApiGroups(), request.group())
                && (has(rule.getResources(), request.qualifiedResource())
                        || (!request.subresource().isEmpty() && has(rule.getResources(), "*/" + request.subresource())))
                && has(rule.getVerbs(), request.verb())
                && (rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
                        || rule.getResourceNames().contains(request.name()));
    }

    private static boolean has(List<String> values, String value) {
        return values != null && (values.contains(value) || values.contains("*"));
    }

    /**
     * Kubernetes lets a caller write a Role only with rules it holds itself (or with {@code escalate}),
     * and a binding only to a role whose rules it holds (or with {@code bind}).
     */
    private Optional<String> escalation(String serviceAccount, RequestAttributes request, Object body) {
        if (!RBAC.equals(request.group()) || !(request.verb().equals("create") || request.verb().equals("update"))) {
            return Optional.empty();
        }
        List<PolicyRule> granted;
        RequestAttributes bypassing;
        if (body instanceof Role role) {
            granted = role.getRules();
            bypassing = new RequestAttributes("escalate", RBAC, "roles", "", request.namespace(), role.getMetadata().getName());
        } else if (body instanceof ClusterRole role) {
            granted = role.getRules();
            bypassing = new RequestAttributes("escalate", RBAC, "clusterroles", "", "", role.getMetadata().getName());
        } else if (body instanceof RoleBinding binding && binding.getRoleRef() != null) {
            granted = roleRules(binding.getRoleRef(), request.namespace());
            // bind is asked of the role the binding refers to
            boolean cluster = "ClusterRole".equals(binding.getRoleRef().getKind());
            bypassing = new RequestAttributes("bind", RBAC, cluster ? "clusterroles" : "roles", "",
                    cluster ? "" : request.namespace(), binding.getRoleRef().getName());
        } else {
            return Optional.empty();
        }
        if (allows(serviceAccount, bypassing)) {
            return Optional.empty();
        }
        for (PolicyRule rule : granted == null ? List.<PolicyRule>of() : granted) {
            for (RequestAttributes implied : implied(rule, request.namespace())) {
                if (!allows(serviceAccount, implied)) {
                    String name = body instanceof HasMetadata object ? object.getMetadata().getName() : request.name();
                    return Optional.of(request.resource() + " \"" + name + "\" is forbidden: "
                            + user(serviceAccount) + " is attempting to grant RBAC permissions not currently held: "
                            + implied.verb() + " " + implied.qualifiedResource() + " in API group \"" + implied.group()
                            + "\"" + (implied.name().isEmpty() ? "" : " named " + implied.name()));
                }
            }
        }
        return Optional.empty();
    }

    /** Each single permission a rule grants, as a request it would allow. */
    private static List<RequestAttributes> implied(PolicyRule rule, String namespace) {
        List<RequestAttributes> all = new ArrayList<>();
        List<String> names = rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
                ? List.of("") : rule.getResourceNames();
        for (String group : rule.getApiGroups()) {
            for (String resource : rule.getResources()) {
                String res = resource.contains("/") ? resource.substring(0, resource.indexOf('/')) : resource;
                String sub = resource.contains("/") ? resource.substring(resource.indexOf('/') + 1) : "";
                for (String verb : rule.getVerbs()) {
                    for (String name : names) {
                        all.add(new RequestAttributes(verb, group, res, sub, namespace, name));
                    }
                }
            }
        }
        return all;
    }

    static String user(String serviceAccount) {
        return "system:serviceaccount:" + serviceAccount.replace('/', ':');
    }

    private static String forbidden(String user, RequestAttributes r) {
        String what = r.name().isEmpty() ? r.qualifiedResource() : r.qualifiedResource() + " \"" + r.name() + "\"";
        return what + " is forbidden: User \"" + user + "\" cannot " + r.verb() + " resource \""
                + r.qualifiedResource() + "\" in API group \"" + r.group() + "\""
                + (r.namespace().isEmpty() ? " at the cluster scope" : " in the namespace \"" + r.namespace() + "\"");
    }
}
