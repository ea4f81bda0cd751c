package io.dbsnap.operator.job;

import io.dbsnap.api.job.FailureReason;
import io.dbsnap.operator.common.Ownership;
import io.dbsnap.sandbox.SandboxApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One resource, one Job, against an API server: the branches a single reconcile meets when the
 * informer lags, an earlier reconcile's answer was lost, or someone else made a Job of that name.
 */
class OwnedJobTest {

    private static final String NS = "kit";
    private static SandboxApiServer server;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        server = new SandboxApiServer().start(0);
        client = server.client();
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Any resource will do as the owner; the kit knows none in particular. */
    private static ConfigMap owner(String name) {
        return client.resource(new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .build()).create();
    }

    private static Job jobOf(ConfigMap owner, String name) {
        return new JobBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .withOwnerReferences(Ownership.controller(owner)).endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("dbsnap").withImage("x")
                .endContainer().withRestartPolicy("Never").endSpec().endTemplate().endSpec().build();
    }

    private static Job foreign(String name) {
        return client.resource(new JobBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("theirs").withImage("y")
                .endContainer().withRestartPolicy("Never").endSpec().endTemplate().endSpec().build()).create();
    }

    private static Optional<Job> ensure(ConfigMap owner, String name, boolean hadOne, Supplier<Job> prepare) {
        return OwnedJob.ensure(client, new FakeContext<>(client, owner, null).lagging(), owner, name, hadOne, prepare);
    }

    @Test
    void aJobTheInformerHasNotSeenYetIsFoundAndNotMadeAgain() {
        ConfigMap owner = owner("lagging");
        Job made = client.resource(jobOf(owner, "job-lagging")).create();
        AtomicInteger prepared = new AtomicInteger();

        Optional<Job> job = ensure(owner, "job-lagging", false, () -> {
            prepared.incrementAndGet();
            return jobOf(owner, "job-lagging");
        });

        assertThat(job).hasValueSatisfying(j -> assertThat(j.getMetadata().getUid()).isEqualTo(made.getMetadata().getUid()));
        assertThat(prepared).as("nothing prepared or granted for a Job that exists").hasValue(0);
    }

    @Test
    void aJobMadeBetweenLookingAndCreatingIsTakenWhenItIsOurs() {
        ConfigMap owner = owner("race");
        // the 409: an earlier reconcile of the same resource created it while this one prepared
        Optional<Job> job = ensure(owner, "job-race", false, () -> {
            client.resource(jobOf(owner, "job-race")).create();
            return jobOf(owner, "job-race");
        });

        assertThat(job).hasValueSatisfying(j -> assertThat(Ownership.isControlledBy(j, owner.getMetadata().getUid()))
                .isTrue());
        assertThat(client.batch().v1().jobs().inNamespace(NS).withName("job-race").get()).isNotNull();
    }

    @Test
    void aForeignJobOfTheNameIsRefusedAndLeftAsItWas() {
        ConfigMap owner = owner("foreign");
        Job theirs = foreign("job-foreign");
        assertThatThrownBy(() -> ensure(owner, "job-foreign", false, () -> jobOf(owner, "job-foreign")))
                .isInstanceOfSatisfying(Refused.class, r -> {
                    assertThat(r.problem().reason()).isEqualTo(FailureReason.JOB_CONFLICT);
                    assertThat(r.getMessage()).contains("Job job-foreign", "no controller reference");
                });

        // and when the foreign one appears in the race, after the lookup
        ConfigMap late = owner("foreign-late");
        assertThatThrownBy(() -> ensure(late, "job-foreign-late", false, () -> {
            foreign("job-foreign-late");
            return jobOf(late, "job-foreign-late");
        })).isInstanceOfSatisfying(Refused.class, r -> assertThat(r.problem().reason()).isEqualTo(FailureReason.JOB_CONFLICT));

        Job after = client.batch().v1().jobs().inNamespace(NS).withName("job-foreign").get();
        assertThat(after.getMetadata().getUid()).isEqualTo(theirs.getMetadata().getUid());
        assertThat(after.getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(client.batch().v1().jobs().inNamespace(NS).withName("job-foreign-late").get().getMetadata()
                .getOwnerReferences()).isNullOrEmpty();
    }

    @Test
    void aConflictWhilePreparingIsNotTakenForTheJobsOwn409() {
        ConfigMap owner = owner("grant-conflict");
        // e.g. the resource's own Role changed between reading and updating it: retried, never "lost"
        assertThatThrownBy(() -> ensure(owner, "job-grant-conflict", false, () -> {
            throw new io.fabric8.kubernetes.client.KubernetesClientException("the object has been modified", 409, null);
        })).isInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class)
                .hasMessageContaining("has been modified");
        assertThat(client.batch().v1().jobs().inNamespace(NS).withName("job-grant-conflict").get()).isNull();
    }

    @Test
    void aJobTheResourceHadAndLostIsNeverReplaced() {
        ConfigMap owner = owner("lost");
        AtomicInteger prepared = new AtomicInteger();

        Optional<Job> job = ensure(owner, "job-lost", true, () -> {
            prepared.incrementAndGet();
            return jobOf(owner, "job-lost");
        });

        assertThat(job).isEmpty();
        assertThat(prepared).hasValue(0);
        assertThat(client.batch().v1().jobs().inNamespace(NS).withName("job-lost").get()).isNull();
    }

    @Test
    void onlyTheFinishedJobsOwnPodsSpeakForIt() {
        ConfigMap owner = owner("pods");
        Job job = client.resource(jobOf(owner, "job-pods")).create();
        for (String pod : new String[]{"job-pods-own", "job-pods-impostor"}) {
            var builder = new PodBuilder().withNewMetadata().withName(pod).withNamespace(NS)
                    .addToLabels("job-name", "job-pods");
            if (pod.endsWith("own")) {
                builder.withOwnerReferences(Ownership.controller(job));
            }
            client.resource(builder.endMetadata().withNewSpec().addNewContainer().withName("dbsnap").withImage("x")
                    .endContainer().endSpec().build()).create();
        }
        assertThat(OwnedJob.finishedPods(client, job)).as("none while it runs").isEmpty();

        job.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().addNewCondition()
                .withType("Failed").withStatus("True").endCondition().build());
        assertThat(OwnedJob.finishedPods(client, job)).extracting(p -> p.getMetadata().getName())
                .containsExactly("job-pods-own");
    }
}
