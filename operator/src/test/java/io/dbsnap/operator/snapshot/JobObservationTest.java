package io.dbsnap.operator.snapshot;

import io.dbsnap.api.job.FailureReason;
import io.dbsnap.api.job.SnapshotJobResult;
import io.dbsnap.operator.job.JobObservation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JobObservationTest {

    private static final String SUCCESS = SnapshotJobResult.success("id", "s3://b/p/ns/src/id/", 10L, 20L,
            "sha256:ff", "postgresql", "15.18", "ns/src").toJson();

    private static final String STORE = "s3://b/p";

    private static JobObservation<SnapshotJobResult> observe(Job job, List<Pod> pods) {
        return SnapshotObservation.of(job, pods, STORE);
    }

    private static Job job(String conditionType, String reason, String startTime) {
        JobBuilder builder = new JobBuilder().withNewMetadata().withName("snapshot-x-abc123").endMetadata()
                .withNewSpec().withActiveDeadlineSeconds(3600L).endSpec();
        if (startTime == null && conditionType == null) {
            return builder.build();
        }
        var status = builder.withNewStatus().withStartTime(startTime);
        if (conditionType != null) {
            status.addNewCondition().withType(conditionType).withStatus("True").withReason(reason).endCondition();
        }
        return status.endStatus().build();
    }

    private static Pod pod(String created, int exitCode, String message) {
        return new PodBuilder().withNewMetadata().withName("p-" + created).withCreationTimestamp(created).endMetadata()
                .withNewStatus().addNewContainerStatus().withName("dbsnap").withNewState().withNewTerminated()
                .withExitCode(exitCode).withMessage(message).endTerminated().endState().endContainerStatus()
                .endStatus().build();
    }

    @Test
    void aJobNotStartedIsWaitingAndAStartedOneRunning() {
        assertThat(observe(job(null, null, null), List.of())).isInstanceOf(JobObservation.Waiting.class);
        assertThat(observe(job(null, null, "2026-11-21T02:00:00Z"), List.of()))
                .isEqualTo(new JobObservation.Running<>("2026-11-21T02:00:00Z"));
    }

    @Test
    void successNeedsACompleteJobAPodThatExitedZeroAndAResult() {
        assertThat(observe(job("Complete", null, "t"), List.of(pod("t1", 0, SUCCESS))))
                .isInstanceOfSatisfying(JobObservation.Succeeded.class,
                        s -> assertThat(((SnapshotJobResult) s.result()).checksum()).isEqualTo("sha256:ff"));
    }

    @Test
    void aCompleteJobWithoutATrustworthyResultIsFailedNeverSucceeded() {
        for (List<Pod> pods : List.of(List.<Pod>of(),
                List.of(pod("t1", 0, "")),
                List.of(pod("t1", 0, "{\"succeeded\":true,\"loc")),
                List.of(pod("t1", 0, "{\"succeeded\":true}")),
                List.of(pod("t1", 0, SnapshotJobResult.success("id", "s3://elsewhere/p/ns/src/id/", 10L, 20L,
                        "sha256:ff", "postgresql", "15.18", "ns/src").toJson())),
                List.of(pod("t1", 0, SnapshotJobResult.success("id", "s3://b/pp/ns/src/id/", 10L, 20L,
                        "sha256:ff", "postgresql", "15.18", "ns/src").toJson())),
                List.of(pod("t1", 1, SUCCESS)),
                List.of(pod("t1", 0, SnapshotJobResult.failure("DumpFailed", "pg_dump failed").toJson())))) {
            assertThat(observe(job("Complete", null, "t"), pods)).as(pods.toString())
                    .isInstanceOfSatisfying(JobObservation.Failed.class, f -> {
                        assertThat(f.reason()).isEqualTo(FailureReason.RESULT_MISSING);
                        assertThat(f.message()).contains("kubectl logs job/snapshot-x-abc123",
                                "none of its pods reported a successful snapshot; the snapshot is not trusted");
                    });
        }
    }

    @Test
    void aFailedJobCarriesTheAgentsReasonFromTheNewestPod() {
        Pod older = pod("2026-11-21T02:00:00Z", 1, SnapshotJobResult.failure("PodNotReady", "not ready").toJson());
        Pod newer = pod("2026-11-21T02:01:00Z", 1, SnapshotJobResult.failure("DumpFailed", "pg_dump failed").toJson());

        assertThat(observe(job("Failed", "BackoffLimitExceeded", "t"), List.of(older, newer)))
                .isEqualTo(new JobObservation.Failed<>("DumpFailed", "pg_dump failed"));
    }

    @Test
    void aJobPastItsDeadlineSaysWhichSettingToRaise() {
        assertThat(observe(job("Failed", "DeadlineExceeded", "t"), List.of()))
                .isInstanceOfSatisfying(JobObservation.Failed.class, f -> {
                    assertThat(f.reason()).isEqualTo(FailureReason.DEADLINE_EXCEEDED);
                    assertThat(f.message()).contains("3600s").contains("spec.job.activeDeadlineSeconds");
                });
    }

    @Test
    void aFailedJobWithoutAResultShowsWhatTheContainerLeft() {
        assertThat(observe(job("Failed", "BackoffLimitExceeded", "t"),
                List.of(pod("t1", 137, "Error: OOMKilled\n"))))
                .isInstanceOfSatisfying(JobObservation.Failed.class, f -> {
                    assertThat(f.reason()).isEqualTo(FailureReason.JOB_FAILED);
                    assertThat(f.message()).contains("BackoffLimitExceeded").contains("OOMKilled");
                });
    }
}
