package io.dbsnap.operator;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.dbsnap.operator.common.OperatorConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** helm/dbsnap linted and rendered with helm-java, and the rendered objects read back and checked. */
class ChartTest {

    private static final String NS = "dbsnap-system";

    @Test
    void lintsCleanWithItsDefaults() {
        LintResult lint = new Helm(ChartRelease.CHART).lint().strict().call();
        assertThat(lint.getMessages()).noneMatch(m -> m.startsWith("[ERROR]") || m.startsWith("[WARNING]"));
        assertThat(lint.isFailed()).isFalse();
    }

    @Test
    void theOperatorRunsNonRootReadOnlyWithProbesOnItsRealEndpoints() {
        ChartRelease release = ChartRelease.render(NS, Map.of());
        Deployment deployment = release.one(Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container operator = release.operatorContainer();
        assertThat(operator.getImage()).isEqualTo("ghcr.io/dbsnap/dbsnap-operator:0.1.0");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
        assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(operator.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(operator.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(pod.getServiceAccountName()).isEqualTo(release.serviceAccount().getMetadata().getName());
        // the probes name the port the container declares, on the paths smallrye-health serves
        // (OperatorEndToEndIT asks the packaged operator for each of them)
        ContainerPort http = operator.getPorts().get(0);
        assertThat(http.getContainerPort()).as("Quarkus' default HTTP port").isEqualTo(8080);
        for (Probe probe : List.of(operator.getLivenessProbe(), operator.getReadinessProbe(), operator.getStartupProbe())) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo(http.getName());
        }
        assertThat(List.of(operator.getLivenessProbe(), operator.getReadinessProbe(), operator.getStartupProbe()))
                .extracting(p -> p.getHttpGet().getPath())
                .containsExactly("/q/health/live", "/q/health/ready", "/q/health/started");
        assertThat(operator.getResources().getLimits()).containsKey("memory");
        assertThat(pod.getTopologySpreadConstraints()).singleElement()
                .satisfies(c -> assertThat(c.getLabelSelector().getMatchLabels())
                        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels()));
        Service metrics = release.one(Service.class);
        assertThat(metrics.getSpec().getSelector()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(metrics.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo(http.getName());
    }

    @Test
    void everySettingItPassesIsOneTheOperatorReads() {
        Map<String, String> env = ChartRelease.render(NS, Map.of("jobs.resources.limits.cpu", "2",
                "storage.allowedEndpoints", List.of("aws", "https://minio.backup:9000"), "imagePullSecrets", List.of("regcred")))
                .operatorEnv();
        assertThat(env).containsEntry("DBSNAP_JOB_IMAGE", "ghcr.io/dbsnap/dbsnap:0.1.0")
                .containsEntry("DBSNAP_JOB_CPU_LIMIT", "2")
                .containsEntry("DBSNAP_STORAGE_ALLOWED_ENDPOINTS", "aws,https://minio.backup:9000")
                .containsEntry("DBSNAP_JOB_IMAGE_PULL_SECRETS", "regcred")
                .containsEntry("DBSNAP_LEADER_ELECTION_ENABLED", "true")
                .containsEntry("DBSNAP_LEADER_ELECTION_LEASE_NAMESPACE", NS);
        List<String> known = configEnvNames(OperatorConfig.class, "DBSNAP");
        assertThat(env.keySet().stream().filter(k -> k.startsWith("DBSNAP_")))
                .as("each DBSNAP_ variable names a property of OperatorConfig").allMatch(known::contains);
        assertThat(known).as("and the chart can set every one of them").allMatch(env::containsKey);
    }

    @Test
    void itsRbacGrantsNoWildcardAndBindsOnlyItsOwnServiceAccount() {
        ChartRelease release = ChartRelease.render(NS, Map.of());
        ClusterRole role = release.one(ClusterRole.class);
        assertThat(role.getRules()).allSatisfy(rule -> {
            assertThat(rule.getVerbs()).doesNotContain("*").isNotEmpty();
            assertThat(rule.getResources()).doesNotContain("*").allMatch(r -> !r.startsWith("*/"));
            assertThat(rule.getApiGroups()).doesNotContain("*");
        });
        assertThat(verbs(role.getRules(), "", "secrets")).containsExactly("get");
        assertThat(verbs(role.getRules(), "rbac.authorization.k8s.io", "roles")).doesNotContain("escalate", "bind");
        ClusterRoleBinding binding = release.one(ClusterRoleBinding.class);
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo(release.serviceAccount().getMetadata().getName());
            assertThat(s.getNamespace()).isEqualTo(NS);
        });
        Role lease = release.one(Role.class);
        assertThat(lease.getMetadata().getNamespace()).isEqualTo(NS);
        assertThat(lease.getRules()).singleElement().satisfies(r -> assertThat(r.getResources()).containsExactly("leases"));
    }

    @Test
    void watchingAListOfNamespacesGrantsInThoseNamespacesOnly() {
        ChartRelease release = ChartRelease.render(NS, Map.of("watchNamespaces", List.of("shop", "billing"),
                "leaderElection.enabled", "false"));
        assertThat(release.all(ClusterRole.class)).isEmpty();
        assertThat(release.all(ClusterRoleBinding.class)).isEmpty();
        assertThat(release.all(Role.class)).extracting(r -> r.getMetadata().getNamespace()).containsExactly("shop", "billing");
        assertThat(release.all(RoleBinding.class)).allSatisfy(b -> assertThat(b.getSubjects().get(0).getNamespace()).isEqualTo(NS));
        assertThat(release.all(Role.class).get(0).getRules())
                .isEqualTo(ChartRelease.render(NS, Map.of()).one(ClusterRole.class).getRules());
        assertThat(release.operatorEnv()).containsEntry("QUARKUS_OPERATOR_SDK_NAMESPACES", "shop,billing")
                .containsEntry("DBSNAP_LEADER_ELECTION_ENABLED", "false");
    }

    @Test
    void optionalPartsAppearWhenAskedFor() {
        ChartRelease release = ChartRelease.render(NS, Map.of("metrics.serviceMonitor.enabled", "true",
                "metrics.serviceMonitor.labels.release", "kube-prometheus", "extraEnv[0].name", "JAVA_TOOL_OPTIONS",
                "extraEnv[0].value", "-Xss512k", "replicas", "2", "logging.json", "true"));
        GenericKubernetesResource monitor = release.one(GenericKubernetesResource.class);
        assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus");
        assertThat(monitor.getAdditionalProperties().toString()).contains("path=/q/metrics", "port=http");
        assertThat(release.operatorEnv()).containsEntry("JAVA_TOOL_OPTIONS", "-Xss512k")
                .containsEntry("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true");
        assertThat(release.one(Deployment.class).getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void largeNumbersFromAValuesFileReachTheOperatorAsIntegers() {
        Map<String, String> env = ChartRelease.render(NS, Map.of("jobs.ttlSecondsAfterFinished", 1209600,
                "jobs.activeDeadlineSeconds", 86400, "schedules.maxSnapshots", 20000)).operatorEnv();
        assertThat(env).containsEntry("DBSNAP_JOB_TTL_SECONDS_AFTER_FINISHED", "1209600")
                .containsEntry("DBSNAP_JOB_ACTIVE_DEADLINE_SECONDS", "86400")
                .containsEntry("DBSNAP_SCHEDULE_MAX_SNAPSHOTS", "20000");
    }

    @Test
    void eachReleaseHasALeaseOfItsOwn() {
        assertThat(ChartRelease.render(NS, Map.of()).operatorEnv()).containsEntry("DBSNAP_LEADER_ELECTION_LEASE_NAME",
                "dbsnap-operator");
        assertThat(ChartRelease.render(NS, Map.of("leaderElection.leaseName", "shared")).operatorEnv())
                .containsEntry("DBSNAP_LEADER_ELECTION_LEASE_NAME", "shared");
    }

    @Test
    void refusesCombinationsThatWouldNotWork() {
        assertThatThrownBy(() -> ChartRelease.render(NS, Map.of("replicas", 2, "leaderElection.enabled", "false")))
                .as("two replicas acting at once").hasMessageContaining("leaderElection/enabled");
        assertThatThrownBy(() -> ChartRelease.render(NS, Map.of("metrics.serviceMonitor.enabled", "true",
                "metrics.service.enabled", "false"))).hasMessageContaining("needs metrics.service.enabled");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "replicas | two",
            "logging.level | LOUD",
            "image.pullPolicy | Sometimes",
            "replica | 2",
            "storage.allowedEndpoints[0] | ftp://backup",
            "watchNamespaces[0] | Shop",
            "jobs.activeDeadlineSeconds | 0",
            "jobs.resources.requests.memory | lots",
            "cleanup.giveUpAfter | PT1S1M",
            "logging.level | TRACE",
    })
    void aWrongValueFailsAtInstallNamingIt(String key, String value) {
        assertThatThrownBy(() -> ChartRelease.render(NS, Map.of(key, value)))
                .hasMessageContaining("values don't meet the specifications of the schema");
    }

    @Test
    void packagesAsHelmDoesAndRendersTheSameFromTheArchive(@org.junit.jupiter.api.io.TempDir Path dir) {
        new Helm(ChartRelease.CHART).packageIt().withDestination(dir).call();
        Path archive = dir.resolve("dbsnap-0.1.0.tgz");
        assertThat(archive).isRegularFile();
        String fromArchive = Helm.template(archive.toString()).withName("dbsnap").withNamespace(NS)
                .withKubeVersion(ChartRelease.KUBE_VERSION).call();
        String fromFolder = new Helm(ChartRelease.CHART).template().withName("dbsnap").withNamespace(NS)
                .withKubeVersion(ChartRelease.KUBE_VERSION).call();
        assertThat(fromArchive).isEqualTo(fromFolder).contains("kind: Deployment");
    }

    @Test
    void carriesTheGeneratedCrdsUnchanged() throws IOException {
        Path generated = EnginePods.ROOT.resolve("crds");
        Path charted = ChartRelease.CHART.resolve("crds");
        assertThat(names(charted)).isEqualTo(names(generated)).contains("databasesnapshots.dbsnap.io.yaml",
                "snapshotrestores.dbsnap.io.yaml", "snapshotschedules.dbsnap.io.yaml");
        for (String name : names(generated)) {
            assertThat(Files.readString(charted.resolve(name))).as(name + ": run make crds")
                    .isEqualTo(Files.readString(generated.resolve(name)));
        }
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
        }
    }

    private static List<String> verbs(List<PolicyRule> rules, String group, String resource) {
        return rules.stream().filter(r -> r.getApiGroups().contains(group) && r.getResources().contains(resource))
                .flatMap(r -> r.getVerbs().stream()).toList();
    }

    /** DBSNAP_JOB_IMAGE_PULL_POLICY and so on: the environment names of a @ConfigMapping's leaves. */
    private static List<String> configEnvNames(Class<?> mapping, String prefix) {
        List<String> names = new ArrayList<>();
        for (Method method : mapping.getDeclaredMethods()) {
            String name = prefix + "_" + method.getName().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase();
            if (method.getReturnType().isInterface() && method.getReturnType().getEnclosingClass() == OperatorConfig.class) {
                names.addAll(configEnvNames(method.getReturnType(), name));
            } else {
                names.add(name);
            }
        }
        return names;
    }
}
