package io.dbsnap.cli.agent;

import io.dbsnap.api.job.FailureReason;
import io.dbsnap.api.job.SnapshotJobResult;
import io.dbsnap.api.job.TerminationMessage;
import io.dbsnap.cli.CliContext;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.pipeline.DumpIncompleteException;
import io.dbsnap.core.process.ProcessFailedException;
import io.dbsnap.core.store.StoreException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** What every agent command reports: a reason for each kind of failure, no secret in it, exit 0 only on success. */
class AgentRunTest {

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();
    private final CliContext context = new CliContext(Map.of("AWS_SECRET_ACCESS_KEY", "s3cr3t-key-value"), Path.of("."),
            new PrintWriter(new StringWriter()), new PrintWriter(err, true), CliContext.Terminal.NONE);

    private SnapshotJobResult run(Supplier<SnapshotJobResult> work, int exitCode) throws Exception {
        Path log = dir.resolve("termination-log");
        assertThat(AgentRun.run(context, log, work, SnapshotJobResult::failure, FailureReason.SNAPSHOT_FAILED))
                .isEqualTo(exitCode);
        return TerminationMessage.read(Files.readString(log), SnapshotJobResult.class);
    }

    private SnapshotJobResult failing(RuntimeException e) throws Exception {
        return run(() -> {
            throw e;
        }, 1);
    }

    @Test
    void eachKindOfFailureHasItsReasonAndNoSecret() throws Exception {
        Map<RuntimeException, String> cases = Map.of(
                new AgentFailure(FailureReason.POD_NOT_READY, "pod db-0 is not Ready"), FailureReason.POD_NOT_READY,
                new StoreException("PUT refused with key s3cr3t-key-value"), FailureReason.STORAGE_FAILED,
                new ProcessFailedException("pg_dump", 1, "connection refused"), FailureReason.DUMP_FAILED,
                new DumpIncompleteException("the dump ends before its end marker"), FailureReason.DUMP_FAILED,
                new DbsnapException("something dbsnap named"), FailureReason.SNAPSHOT_FAILED,
                new KubernetesClientException("pods \"db-0\" is forbidden"), FailureReason.SNAPSHOT_FAILED,
                new IllegalStateException("s3cr3t-key-value in a bug"), FailureReason.SNAPSHOT_FAILED);
        for (var c : cases.entrySet()) {
            SnapshotJobResult result = failing(c.getKey());
            assertThat(result.succeeded()).isFalse();
            assertThat(result.reason()).as(c.getKey().toString()).isEqualTo(c.getValue());
            assertThat(result.message()).doesNotContain("s3cr3t-key-value");
        }
        assertThat(failing(new IllegalStateException("boom")).message()).startsWith("unexpected error:");
        assertThat(err.toString()).doesNotContain("s3cr3t-key-value").contains("dbsnap: PodNotReady: pod db-0 is not Ready");
    }

    @Test
    void aSuccessExitsZeroWithItsResult() throws Exception {
        SnapshotJobResult ok = SnapshotJobResult.success("id", "s3://b/ns/src/id/", 1L, 2L, "sha256:aa", "redis",
                "7.0", "ns/db-0");
        assertThat(run(() -> ok, 0)).isEqualTo(ok);
    }
}
