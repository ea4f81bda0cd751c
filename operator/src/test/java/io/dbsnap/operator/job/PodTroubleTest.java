package io.dbsnap.operator.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PodTroubleTest {

    private static final Instant CREATED = Instant.parse("2026-12-06T03:00:00Z");
    private static final Job JOB = new JobBuilder().withNewMetadata().withName("snapshot-x-abc123")
            .withCreationTimestamp(CREATED.toString()).endMetadata().build();

    private static Pod waiting(String created, String container, String reason, String message) {
        return new PodBuilder().withNewMetadata().withName("p-" + created).withCreationTimestamp(created).endMetadata()
                .withNewStatus().withPhase("Pending").addNewContainerStatus().withName(container).withNewState()
                .withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState().endContainerStatus()
                .endStatus().build();
    }

    private static Pod unschedulable(String created) {
        return new PodBuilder().withNewMetadata().withName("p-" + created).withCreationTimestamp(created).endMetadata()
                .withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage("0/3 nodes are available: 3 Insufficient memory.")
                .endCondition().endStatus().build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CreateContainerConfigError",
            "CreateContainerError", "RunContainerError", "ErrImageNeverPull"})
    void aContainerStuckWaitingIsReportedInItsOwnWords(String reason) {
        Pod pod = waiting("2026-12-06T03:00:01Z", AgentJobTemplate.CONTAINER, reason, " it says why \n");
        assertThat(PodTrouble.of(JOB, List.of(pod), CREATED.plusSeconds(5))).contains(reason + ": it says why");
    }

    @Test
    void startingIsNotTrouble() {
        Pod creating = waiting("2026-12-06T03:00:01Z", AgentJobTemplate.CONTAINER, "ContainerCreating", null);
        Pod running = new PodBuilder().withNewMetadata().withName("r").withCreationTimestamp("2026-12-06T03:00:01Z")
                .endMetadata().withNewStatus().withPhase("Running").addNewContainerStatus()
                .withName(AgentJobTemplate.CONTAINER).withNewState().withNewRunning().endRunning().endState()
                .endContainerStatus().endStatus().build();
        Pod fresh = new PodBuilder().withNewMetadata().withName("f").endMetadata().build();
        for (Pod pod : List.of(creating, running, fresh)) {
            assertThat(PodTrouble.of(JOB, List.of(pod), CREATED.plusSeconds(600))).isEmpty();
        }
    }

    @Test
    void onlyTheAgentsContainerCounts() {
        Pod sidecar = waiting("2026-12-06T03:00:01Z", "istio-proxy", "ImagePullBackOff", "not ours");
        assertThat(PodTrouble.of(JOB, List.of(sidecar), CREATED.plusSeconds(5))).isEmpty();
    }

    @Test
    void aPodThatFitsNoNodeSaysWhatTheSchedulerSaid() {
        assertThat(PodTrouble.of(JOB, List.of(unschedulable("2026-12-06T03:00:01Z")), CREATED.plusSeconds(5)))
                .contains("Unschedulable: 0/3 nodes are available: 3 Insufficient memory.");
    }

    @Test
    void theNewestPodSpeaksForTheJob() {
        Pod old = waiting("2026-12-06T03:00:01Z", AgentJobTemplate.CONTAINER, "ImagePullBackOff", "old");
        Pod retry = waiting("2026-12-06T03:00:30Z", AgentJobTemplate.CONTAINER, "ContainerCreating", null);
        assertThat(PodTrouble.of(JOB, List.of(retry, old), CREATED.plusSeconds(40))).isEmpty();
        assertThat(PodTrouble.of(JOB, List.of(old, unschedulable("2026-12-06T03:00:30Z")), CREATED.plusSeconds(40)))
                .hasValueSatisfying(t -> assertThat(t).startsWith("Unschedulable: "));
    }

    @Test
    void aJobWithoutAPodIsReportedOnlyAfterTheGrace() {
        assertThat(PodTrouble.of(JOB, List.of(), CREATED.plus(PodTrouble.NO_POD_GRACE).minusSeconds(1))).isEmpty();
        assertThat(PodTrouble.of(JOB, List.of(), CREATED.plus(PodTrouble.NO_POD_GRACE)))
                .hasValueSatisfying(t -> assertThat(t).startsWith("NoPod: Job snapshot-x-abc123 has made no pod in 60s")
                        .contains("kubectl describe job snapshot-x-abc123"));
    }
}
