package io.dbsnap.sandbox;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingList;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingList;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RbacAuthorizerTest {

    private static final String RBAC = "/apis/rbac.authorization.k8s.io/v1";
    private final Map<String, Object> objects = new HashMap<>();
    private final RbacAuthorizer rbac = new RbacAuthorizer(new RbacAuthorizer.Store() {
        @Override
        public <T> Optional<T> get(String path, Class<T> type) {
            return Optional.ofNullable(objects.get(path)).map(type::cast);
        }
    });

    private static PolicyRule rule(String group, String resource, String... verbs) {
        return new PolicyRuleBuilder().withApiGroups(group).withResources(resource).withVerbs(verbs).build();
    }

    private void clusterRole(String account, PolicyRule... rules) {
        objects.put(RBAC + "/clusterroles/op", new ClusterRoleBuilder().withNewMetadata().withName("op").endMetadata()
                .withRules(rules).build());
        objects.put(RBAC + "/clusterrolebindings", new ClusterRoleBindingList(null, List.of(new ClusterRoleBindingBuilder()
                .withNewMetadata().withName("op").endMetadata()
                .withNewRoleRef().withKind("ClusterRole").withName("op").withApiGroup("rbac.authorization.k8s.io").endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withNamespace(account.split("/")[0])
                .withName(account.split("/")[1]).endSubject().build()), null, null));
    }

    private RbacAuthorizer.Decision request(String account, String method, String path, Object body) {
        int q = path.indexOf('?');
        return rbac.decide(account, RequestAttributes.of(method, q < 0 ? path : path.substring(0, q),
                q < 0 ? "" : path.substring(q + 1)).orElseThrow(), Optional.ofNullable(body));
    }

    @Test
    void readsVerbsResourcesAndNamespacesAsTheApiServerDoes() {
        assertThat(RequestAttributes.of("GET", "/api/v1/namespaces/shop/pods/db-0", "")).contains(
                new RequestAttributes("get", "", "pods", "", "shop", "db-0"));
        assertThat(RequestAttributes.of("GET", "/api/v1/namespaces/shop/pods", "labelSelector=a%3Db")).contains(
                new RequestAttributes("list", "", "pods", "", "shop", ""));
        assertThat(RequestAttributes.of("GET", "/apis/dbsnap.io/v1alpha1/databasesnapshots", "watch=true&rv=1"))
                .contains(new RequestAttributes("watch", "dbsnap.io", "databasesnapshots", "", "", ""));
        assertThat(RequestAttributes.of("GET", "/api/v1/namespaces/shop/pods/db-0/exec", "command=ls")).contains(
                new RequestAttributes("get", "", "pods", "exec", "shop", "db-0"));
        assertThat(RequestAttributes.of("POST", "/api/v1/namespaces/shop/pods/db-0/exec", "command=ls")).contains(
                new RequestAttributes("create", "", "pods", "exec", "shop", "db-0"));
        assertThat(RequestAttributes.of("PATCH", "/apis/dbsnap.io/v1alpha1/namespaces/shop/snapshotrestores/r/status", ""))
                .contains(new RequestAttributes("patch", "dbsnap.io", "snapshotrestores", "status", "shop", "r"));
        assertThat(RequestAttributes.of("GET", "/api/v1/namespaces/shop", "")).contains(
                new RequestAttributes("get", "", "namespaces", "", "shop", "shop"));
        assertThat(RequestAttributes.of("DELETE", "/apis/batch/v1/namespaces/shop/jobs", "")).contains(
                new RequestAttributes("deletecollection", "batch", "jobs", "", "shop", ""));
        assertThat(RequestAttributes.of("GET", "/api/v1/namespaces/shop/pods", "fieldSelector=metadata.name%3Ddb-0&watch=true"))
                .contains(new RequestAttributes("watch", "", "pods", "", "shop", "db-0"));
        assertThat(RequestAttributes.of("GET", "/api/v1/namespaces/shop/pods", "fieldSelector=metadata.name%3Ddb-0%2Cx%3Dy"))
                .as("a selector that is more than a name is a list of all").contains(
                        new RequestAttributes("list", "", "pods", "", "shop", ""));
        assertThat(RequestAttributes.of("GET", "/apis/dbsnap.io/v1alpha1", "")).isEmpty();
        assertThat(RequestAttributes.of("GET", "/version", "")).isEmpty();
    }

    @Test
    void allowsOnlyWhatABindingGrantsAndRemembersIt() {
        clusterRole("ops/dbsnap", rule("batch", "jobs", "get", "create"), rule("", "pods", "list"));
        assertThat(request("ops/dbsnap", "POST", "/apis/batch/v1/namespaces/shop/jobs", null).allowed()).isTrue();
        assertThat(request("ops/dbsnap", "GET", "/api/v1/namespaces/shop/pods", null).allowed()).isTrue();
        RbacAuthorizer.Decision delete = request("ops/dbsnap", "DELETE", "/apis/batch/v1/namespaces/shop/jobs/j", null);
        assertThat(delete.allowed()).isFalse();
        assertThat(delete.message()).contains("system:serviceaccount:ops:dbsnap", "cannot delete", "\"jobs\"", "\"shop\"");
        assertThat(request("ops/dbsnap", "GET", "/api/v1/namespaces/shop/pods?watch=true", null).allowed()).isFalse();
        assertThat(request("ops/other", "GET", "/api/v1/namespaces/shop/pods", null).allowed()).isFalse();
        assertThat(request("shop/dbsnap", "GET", "/api/v1/namespaces/shop/pods", null).allowed())
                .as("the same name in another namespace is another account").isFalse();
        assertThat(rbac.used("ops/dbsnap")).containsExactly(" pods list", "batch jobs create");
    }

    @Test
    void aRoleBindingGrantsInItsNamespaceOnlyAndResourceNamesNarrowARule() {
        objects.put(RBAC + "/namespaces/shop/rolebindings", new RoleBindingList(null, List.of(new RoleBindingBuilder()
                .withNewMetadata().withName("job").withNamespace("shop").endMetadata()
                .withNewRoleRef().withKind("Role").withName("job").endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withNamespace("shop").withName("job").endSubject().build()),
                null, null));
        jobRole("create", "get");
        assertThat(request("shop/job", "GET", "/api/v1/namespaces/shop/pods/db-0/exec?command=x", null).allowed()).isTrue();
        assertThat(request("shop/job", "GET", "/api/v1/namespaces/shop/pods/db-1/exec?command=x", null).allowed()).isFalse();
        assertThat(request("shop/job", "GET", "/api/v1/namespaces/shop/pods/db-0", null).allowed())
                .as("exec is not get of the pod").isFalse();
        assertThat(request("shop/job", "GET", "/api/v1/namespaces/other/pods/db-0/exec?command=x", null).allowed()).isFalse();
        // a websocket exec is a get, and the strictest clusters ask for create as well: each alone is not enough
        jobRole("create");
        assertThat(request("shop/job", "GET", "/api/v1/namespaces/shop/pods/db-0/exec?command=x", null).allowed()).isFalse();
        jobRole("get");
        assertThat(request("shop/job", "GET", "/api/v1/namespaces/shop/pods/db-0/exec?command=x", null).message())
                .contains("cannot create resource \"pods/exec\"");
        assertThat(rbac.denied("shop/job")).hasSize(5);
    }

    private void jobRole(String... execVerbs) {
        objects.put(RBAC + "/namespaces/shop/roles/job", new RoleBuilder().withNewMetadata().withName("job").endMetadata()
                .withRules(new PolicyRuleBuilder().withApiGroups("").withResources("pods/exec").withResourceNames("db-0")
                        .withVerbs(execVerbs).build()).build());
    }

    @Test
    void aRoleMayOnlyGrantWhatItsCreatorHolds() {
        clusterRole("ops/dbsnap", rule("rbac.authorization.k8s.io", "roles", "create"), rule("", "pods", "get"));
        Role reads = new RoleBuilder().withNewMetadata().withName("job").withNamespace("shop").endMetadata()
                .withRules(new PolicyRuleBuilder().withApiGroups("").withResources("pods").withResourceNames("db-0")
                        .withVerbs("get").build()).build();
        assertThat(request("ops/dbsnap", "POST", RBAC + "/namespaces/shop/roles", reads).allowed()).isTrue();
        Role execs = new RoleBuilder(reads).editFirstRule().withResources("pods/exec").withVerbs("create").endRule().build();
        RbacAuthorizer.Decision refused = request("ops/dbsnap", "POST", RBAC + "/namespaces/shop/roles", execs);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.message()).contains("not currently held", "create pods/exec");
        Role everything = new RoleBuilder(reads).editFirstRule().withResources("*").endRule().build();
        assertThat(request("ops/dbsnap", "POST", RBAC + "/namespaces/shop/roles", everything).allowed())
                .as("a wildcard is granted only by a wildcard").isFalse();
    }

    @Test
    void aBindingMayOnlyBindRulesItsCreatorHolds() {
        clusterRole("ops/dbsnap", rule("rbac.authorization.k8s.io", "rolebindings", "create"), rule("", "pods", "get"));
        objects.put(RBAC + "/namespaces/shop/roles/wide", new RoleBuilder().withNewMetadata().withName("wide").endMetadata()
                .withRules(rule("", "secrets", "get")).build());
        objects.put(RBAC + "/namespaces/shop/roles/narrow", new RoleBuilder().withNewMetadata().withName("narrow").endMetadata()
                .withRules(rule("", "pods", "get")).build());
        RoleBindingBuilder binding = new RoleBindingBuilder().withNewMetadata().withName("b").withNamespace("shop")
                .endMetadata().addNewSubject().withKind("ServiceAccount").withNamespace("shop").withName("job").endSubject();
        assertThat(request("ops/dbsnap", "POST", RBAC + "/namespaces/shop/rolebindings",
                binding.withNewRoleRef().withKind("Role").withName("narrow").endRoleRef().build()).allowed()).isTrue();
        assertThat(request("ops/dbsnap", "POST", RBAC + "/namespaces/shop/rolebindings",
                binding.withNewRoleRef().withKind("Role").withName("wide").endRoleRef().build()).allowed()).isFalse();
    }
}
