package io.dbsnap.operator.snapshot;

import io.dbsnap.api.v1alpha1.snapshot.DatabaseSnapshot;
import io.dbsnap.operator.common.OperatorSettings;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotJobFactoryTest {

    private static final String CHOSEN = "orders-db-1";
    private static final OperatorSettings SETTINGS = OperatorSettings.defaults("ghcr.io/dbsnap/dbsnap:0.1.0");

    private static Job job(DatabaseSnapshot snapshot) {
        // the operator chooses the pod a selector means before it makes the Job
        String pod = snapshot.getSpec().getSource().getPod().getName();
        return SnapshotJobFactory.create(snapshot, pod != null ? pod : CHOSEN, SETTINGS);
    }

    private static Container container(Job job) {
        return job.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @Test
    void theJobIsOwnedByItsSnapshotAndLabelledForTheInformer() {
        Job job = job(Snapshots.basic());

        assertThat(job.getMetadata().getNamespace()).isEqualTo("prod");
        assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getKind()).isEqualTo("DatabaseSnapshot");
            assertThat(owner.getApiVersion()).isEqualTo("dbsnap.io/v1alpha1");
            assertThat(owner.getName()).isEqualTo("orders-nightly");
            assertThat(owner.getUid()).isEqualTo("6f1c2a9e-0000-4000-8000-000000000001");
            assertThat(owner.getController()).isTrue();
        });
        assertThat(job.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "snapshot")
                .containsEntry("app.kubernetes.io/managed-by", "dbsnap-operator")
                .containsEntry("dbsnap.io/snapshot", "orders-nightly");
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(job.getMetadata().getLabels());
    }

    @Test
    void anEncryptedSnapshotsJobGetsPublicKeysOnly() {
        String one = io.dbsnap.core.crypto.AgeKeys.generate().recipient();
        String two = io.dbsnap.core.crypto.AgeKeys.generate().recipient();
        Job job = job(Snapshots.named("orders-nightly", """
                encryption:
                  recipients: [%s, %s]
                  recipientsFrom: {configMapKeyRef: {name: team-keys, key: recipients.txt}}
                """.formatted(one, two)));

        assertThat(container(job).getArgs()).contains("--recipient=" + one, "--recipient=" + two);
        EnvVar more = container(job).getEnv().stream().filter(e -> e.getName().equals("DBSNAP_AGE_RECIPIENTS"))
                .findFirst().orElseThrow();
        assertThat(more.getValue()).isNull();
        assertThat(more.getValueFrom().getConfigMapKeyRef().getName()).isEqualTo("team-keys");
        assertThat(more.getValueFrom().getConfigMapKeyRef().getKey()).isEqualTo("recipients.txt");
        assertThat(container(job).getEnv()).noneMatch(e -> e.getName().equals("DBSNAP_AGE_IDENTITY"));

        Job fromSecret = job(Snapshots.named("orders-nightly", """
                encryption:
                  recipientsFrom: {secretKeyRef: {name: team-keys, key: recipients.txt}}
                """));
        assertThat(container(fromSecret).getArgs()).noneMatch(a -> a.startsWith("--recipient"));
        assertThat(container(fromSecret).getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("DBSNAP_AGE_RECIPIENTS");
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("team-keys");
        });
        assertThat(container(job(Snapshots.basic())).getEnv()).noneMatch(e -> e.getName().startsWith("DBSNAP_AGE"));
        assertThat(container(job(Snapshots.basic())).getArgs()).noneMatch(a -> a.startsWith("--recipient"));
    }

    @Test
    void theAgentGetsWhereAndWhatButNoSecret() {
        Job job = job(Snapshots.named("orders-nightly", """
                compression: gzip
                tag: before-migration
                note: Pre-schema update
                """));

        assertThat(container(job).getCommand()).containsExactly("dbsnap");
        assertThat(container(job).getArgs()).containsExactly("agent", "snapshot", "--namespace=prod",
                "--pod=orders-db-0", "--name=orders-nightly", "--compress=gzip", "--tag=before-migration",
                "--note=Pre-schema update", "--store", "s3://snaps/prod");
    }

    @Test
    void valuesThatLookLikeOptionsStayValues() {
        Job job = job(Snapshots.withSpec("""
                source:
                  engine: postgresql
                  database: --no-data
                  pod: {name: orders-db-0, container: --help}
                storage:
                  s3: {bucket: snaps, credentialsSecret: {name: s3}}
                tag: --force
                note: -h
                """));
        assertThat(container(job).getArgs()).contains("--database=--no-data", "--container=--help", "--tag=--force",
                "--note=-h").doesNotContain("--no-data", "--force", "-h");
    }

    @Test
    void credentialsReachTheJobOnlyThroughSecretKeyRefs() {
        DatabaseSnapshot snapshot = Snapshots.withSpec("""
                source:
                  pod: {name: orders-db-0}
                  credentialsSecret: {name: orders-db, usernameKey: user, passwordKey: pass}
                storage:
                  s3:
                    bucket: snaps
                    credentialsSecret: {name: s3-creds, accessKeyIdKey: id, secretAccessKeyKey: key}
                """);
        List<EnvVar> env = container(job(snapshot)).getEnv();

        assertThat(env).filteredOn(e -> e.getValueFrom() != null).extracting(EnvVar::getName)
                .containsExactlyInAnyOrder("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "DBSNAP_DB_USERNAME",
                        "DBSNAP_DB_PASSWORD");
        assertThat(env).filteredOn(e -> e.getValueFrom() != null).allSatisfy(e -> {
            assertThat(e.getValue()).isNull();
            assertThat(e.getValueFrom().getSecretKeyRef().getOptional()).isFalse();
        });
        assertThat(env).filteredOn(e -> e.getName().equals("AWS_SECRET_ACCESS_KEY")).singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("s3-creds"))
                .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("key"));
        assertThat(env).filteredOn(e -> e.getName().equals("DBSNAP_DB_PASSWORD")).singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("orders-db"))
                .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("pass"));
        // what is not from a Secret is nothing secret: the metadata switch and the Job's own name
        assertThat(env).filteredOn(e -> e.getValueFrom() == null).extracting(EnvVar::getName)
                .containsExactly("AWS_EC2_METADATA_DISABLED", "DBSNAP_JOB_NAME", "DBSNAP_JOB_NAMESPACE");
    }

    @Test
    void withoutADatabaseSecretOnlyTheStoreKeysAreReferenced() {
        assertThat(container(job(Snapshots.basic())).getEnv()).extracting(EnvVar::getName)
                .containsExactly("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_EC2_METADATA_DISABLED",
                        "DBSNAP_JOB_NAME", "DBSNAP_JOB_NAMESPACE");
    }

    @Test
    void theJobRunsRestrictedAndBounded() {
        Job job = job(Snapshots.basic());
        PodSpec pod = job.getSpec().getTemplate().getSpec();

        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(3600L);
        assertThat(job.getSpec().getBackoffLimit()).isEqualTo(1);
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(86400);
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        // the Job's own identity, which may exec into the database pod alone (JobAccessTest)
        assertThat(pod.getServiceAccountName()).isEqualTo(job.getMetadata().getName());
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        var security = container(job).getSecurityContext();
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container(job).getVolumeMounts()).singleElement()
                .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        assertThat(container(job).getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
        assertThat(container(job).getResources().getLimits()).containsKey("memory");
        assertThat(container(job).getImage()).isEqualTo("ghcr.io/dbsnap/dbsnap:0.1.0");
    }

    @Test
    void jobOptionsFromTheSpecWin() {
        Job job = job(Snapshots.named("big", """
                job:
                  activeDeadlineSeconds: 7200
                  backoffLimit: 0
                  ttlSecondsAfterFinished: 600
                  scratchSize: 20Gi
                  nodeSelector: {disk: ssd}
                  tolerations: [{key: dedicated, operator: Equal, value: backup, effect: NoSchedule}]
                  resources:
                    requests: {cpu: "1", memory: 512Mi}
                    limits: {memory: 4Gi}
                """));
        PodSpec pod = job.getSpec().getTemplate().getSpec();

        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(7200L);
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(600);
        assertThat(pod.getNodeSelector()).isEqualTo(Map.of("disk", "ssd"));
        assertThat(pod.getTolerations()).singleElement().satisfies(t -> assertThat(t.getValue()).isEqualTo("backup"));
        assertThat(container(job).getResources().getLimits()).containsEntry("memory", new Quantity("4Gi"));
        assertThat(container(job).getResources().getRequests()).containsEntry("cpu", new Quantity("1"));
        assertThat(pod.getVolumes()).singleElement().satisfies(v -> assertThat(v.getEmptyDir().getSizeLimit())
                .isEqualTo(new Quantity("20Gi")));
        assertThat(job(Snapshots.named("small", "")).getSpec().getTemplate().getSpec().getVolumes().get(0)
                .getEmptyDir().getSizeLimit()).as("no limit unless one is set").isNull();
    }

    @Test
    void storeEndpointRegionAndPathStyleArePassedAlong() {
        Job job = job(Snapshots.withSpec("""
                source:
                  engine: postgresql
                  database: orders
                  pod: {selector: {matchLabels: {app: orders}}, container: db}
                storage:
                  s3: {bucket: snaps, endpoint: "http://minio:9000", region: eu-central-2, forcePathStyle: false,
                       credentialsSecret: {name: s3}}
                """));

        assertThat(container(job).getArgs()).contains("--pod=" + CHOSEN, "--selector=app=orders")
                .contains("--container=db", "--engine=postgresql", "--database=orders")
                .containsSubsequence("--store", "s3://snaps")
                .contains("--s3-endpoint=http://minio:9000", "--s3-region=eu-central-2")
                .containsSubsequence("--s3-path-style", "false");
    }

    @Test
    void selectorsAreWrittenInKubectlSyntax() {
        DatabaseSnapshot snapshot = Snapshots.withSpec("""
                source:
                  pod:
                    selector:
                      matchLabels: {role: primary, app: orders}
                      matchExpressions:
                      - {key: tier, operator: In, values: [db, data]}
                      - {key: zone, operator: NotIn, values: [a]}
                      - {key: healthy, operator: Exists}
                      - {key: canary, operator: DoesNotExist}
                storage: {s3: {bucket: b, credentialsSecret: {name: s3}}}
                """);
        assertThat(io.dbsnap.api.job.DatabasePods.selector(snapshot.getSpec().getSource().getPod().getSelector()))
                .isEqualTo("app=orders,role=primary,tier in (db,data),zone notin (a),healthy,!canary");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 20, 40, 52, 63, 120, 253})
    void jobNamesFitWhateverTheSnapshotNameIs(int length) {
        String name = ("a" + "b".repeat(length)).substring(0, length);
        Job job = job(Snapshots.named(name, ""));

        assertThat(job.getMetadata().getName()).hasSizeLessThanOrEqualTo(52)
                .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").startsWith("snapshot-a");
        assertThat(job.getMetadata().getLabels().get("dbsnap.io/snapshot")).hasSizeLessThanOrEqualTo(63);
    }

    @Test
    void namesCutToTheSameLengthStayUniqueThroughTheUidHash() {
        String longName = "orders-".repeat(20);
        DatabaseSnapshot first = Snapshots.named(longName + "a", "");
        DatabaseSnapshot second = Snapshots.named(longName + "b", "");
        second.getMetadata().setUid("6f1c2a9e-0000-4000-8000-000000000002");

        assertThat(SnapshotJobFactory.jobName(first)).isNotEqualTo(SnapshotJobFactory.jobName(second));
        assertThat(SnapshotJobFactory.jobName(first)).isEqualTo(SnapshotJobFactory.jobName(first));
    }
}
