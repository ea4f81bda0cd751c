package io.dbsnap.cli.agent;

import io.dbsnap.api.job.AgentPodArgs;
import io.dbsnap.api.job.AgentRestoreArgs;
import io.dbsnap.api.job.AgentSnapshotArgs;
import io.dbsnap.api.job.AgentStoreArgs;
import io.dbsnap.cli.CliContext;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator-to-agent contract, both ends: arguments built as the operator builds a Job's
 * ({@link AgentSnapshotArgs#toArgs}) arrive in {@code dbsnap agent snapshot} as the same values,
 * hostile ones included. Renaming an option on either side fails here.
 */
class AgentContractTest {

    private static AgentSnapshotCommand parse(AgentSnapshotArgs sent) {
        CliContext context = new CliContext(Map.of(), Path.of("."), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), CliContext.Terminal.NONE);
        AgentSnapshotCommand command = new AgentSnapshotCommand(context);
        List<String> args = sent.toArgs();
        assertThat(args.subList(0, 2)).containsExactly("agent", "snapshot");
        new CommandLine(command).parseArgs(args.subList(2, args.size()).toArray(String[]::new));
        return command;
    }

    private static final String RECIPIENT_ONE = io.dbsnap.core.crypto.AgeKeys.generate().recipient();
    private static final String RECIPIENT_TWO = io.dbsnap.core.crypto.AgeKeys.generate().recipient();

    @Test
    void everyValueTheOperatorSendsArrivesAsItWasSent() {
        AgentSnapshotArgs sent = new AgentSnapshotArgs(new AgentPodArgs("prod", "orders-db-1",
                "app.kubernetes.io/instance=orders,role in (primary)", "postgres", "postgresql", "--no-data",
                "/data/--app.db", true), "orders-nightly", "gzip", "--force", "note with = and , and -x",
                List.of(RECIPIENT_ONE, RECIPIENT_TWO), new AgentStoreArgs("s3://snaps/prod", "http://minio:9000", "eu-central-2", false));
        AgentSnapshotCommand received = parse(sent);

        assertThat(received.source.namespace).isEqualTo("prod");
        assertThat(received.name).isEqualTo("orders-nightly");
        assertThat(received.source.podName).isEqualTo("orders-db-1");
        assertThat(received.source.selector).isEqualTo("app.kubernetes.io/instance=orders,role in (primary)");
        assertThat(received.source.container).isEqualTo("postgres");
        assertThat(received.source.engineName).isEqualTo("postgresql");
        assertThat(received.source.database).isEqualTo("--no-data");
        assertThat(received.source.path).isEqualTo("/data/--app.db");
        assertThat(received.source.allowPlainCopy).isTrue();
        assertThat(received.compression).isEqualTo("gzip");
        assertThat(received.tag).isEqualTo("--force");
        assertThat(received.note).isEqualTo("note with = and , and -x");
        assertThat(received.encryption.recipients).containsExactly(RECIPIENT_ONE, RECIPIENT_TWO);
        assertThat(received.storeOptions.asArgs()).isEqualTo(new AgentStoreArgs("s3://snaps/prod",
                "http://minio:9000", "eu-central-2", false));
    }

    @Test
    void whatTheOperatorLeavesOutTakesTheAgentsDefaults() {
        AgentSnapshotCommand received = parse(new AgentSnapshotArgs(new AgentPodArgs("prod", "db-0", null, null, null,
                null, null, false), "s", null, null, null, null, new AgentStoreArgs("s3://snaps", null, null, null)));
        assertThat(received.source.selector).isNull();
        assertThat(received.source.container).isNull();
        assertThat(received.source.allowPlainCopy).isFalse();
        assertThat(received.compression).isEqualTo("zstd");
        assertThat(received.storeOptions.asArgs().s3PathStyle()).isNull();
    }

    @Test
    void theCredentialsTravelUnderTheNamesTheAgentReads() {
        assertThat(PodDatabase.DB_USERNAME_ENV).isEqualTo(AgentPodArgs.DB_USERNAME_ENV);
        assertThat(PodDatabase.DB_PASSWORD_ENV).isEqualTo(AgentPodArgs.DB_PASSWORD_ENV);
        // the AWS SDK's own names: the agent sets no credentials provider of its own
        assertThat(List.of(AgentStoreArgs.S3_ACCESS_KEY_ENV, AgentStoreArgs.S3_SECRET_KEY_ENV))
                .containsExactly("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    }

    @Test
    void aRestoresArgumentsArriveAsTheyWereSent() {
        AgentRestoreArgs sent = new AgentRestoreArgs(new AgentPodArgs("prod", "db-0", null, "postgres", "postgresql",
                "--clean", null, false), "prod/db-0/20261201-000000-x/", "sha256:" + "a".repeat(64), true,
                new AgentStoreArgs("s3://snaps/prod", "http://minio:9000", null, true));
        CliContext context = new CliContext(Map.of(), Path.of("."), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), CliContext.Terminal.NONE);
        AgentRestoreCommand received = new AgentRestoreCommand(context);
        List<String> args = sent.toArgs();
        assertThat(args.subList(0, 2)).containsExactly("agent", "restore");
        new CommandLine(received).parseArgs(args.subList(2, args.size()).toArray(String[]::new));

        assertThat(received.target.namespace).isEqualTo("prod");
        assertThat(received.target.podName).isEqualTo("db-0");
        assertThat(received.target.database).isEqualTo("--clean");
        assertThat(received.snapshot).isEqualTo("prod/db-0/20261201-000000-x/");
        assertThat(received.sha256).isEqualTo("sha256:" + "a".repeat(64));
        assertThat(received.dryRun).isTrue();
        assertThat(received.storeOptions.asArgs()).isEqualTo(sent.store());

        AgentRestoreCommand plain = new AgentRestoreCommand(context);
        List<String> real = new AgentRestoreArgs(sent.target(), sent.snapshot(), null, false, sent.store()).toArgs();
        new CommandLine(plain).parseArgs(real.subList(2, real.size()).toArray(String[]::new));
        assertThat(plain.dryRun).isFalse();
        assertThat(plain.sha256).isNull();
    }
}
