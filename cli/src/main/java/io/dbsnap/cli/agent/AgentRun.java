package io.dbsnap.cli.agent;

import io.dbsnap.api.job.AgentResult;
import io.dbsnap.api.job.FailureReason;
import io.dbsnap.api.job.TerminationMessage;
import io.dbsnap.cli.CliContext;
import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.pipeline.DumpIncompleteException;
import io.dbsnap.core.process.ProcessFailedException;
import io.dbsnap.core.store.StoreException;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every agent command does around its work: run it, turn what went wrong into a reason the
 * resource's status shows (secrets scrubbed from every message), and report the result in the
 * termination message, where the operator reads it, and on stdout, where kubectl logs shows it.
 */
public final class AgentRun {

    public static final String TERMINATION_LOG_ENV = "DBSNAP_TERMINATION_LOG";

    private AgentRun() {
    }

    /**
     * @param failure  the command's failed result from a reason and a message
     * @param fallback the reason of a failure nothing more specific names ({@code SnapshotFailed})
     * @return the process exit code: 0 only on success
     */
    public static <R extends AgentResult> int run(CliContext context, Path terminationLog, Supplier<R> work,
                                                  BiFunction<String, String, R> failure, String fallback) {
        return run(context, terminationLog, work, e -> failure.apply(reasonOf(e, fallback), messageOf(context, e)));
    }

    /** The same, for a command that tells its failures apart itself ({@code failure}). */
    public static <R extends AgentResult> int run(CliContext context, Path terminationLog, Supplier<R> work,
                                                  Function<RuntimeException, R> failure) {
        R result;
        try {
            result = work.get();
        } catch (RuntimeException e) {
            result = failure.apply(e);
        }
        report(context, terminationLog, result);
        return result.succeeded() ? 0 : 1;
    }

    static String reasonOf(RuntimeException e, String fallback) {
        if (e instanceof AgentFailure named) {
            return named.reason();
        }
        if (e instanceof StoreException) {
            return FailureReason.STORAGE_FAILED;
        }
        if (e instanceof ProcessFailedException || e instanceof DumpIncompleteException) {
            return FailureReason.DUMP_FAILED;
        }
        return fallback;
    }

    static String messageOf(CliContext context, RuntimeException e) {
        boolean known = e instanceof DbsnapException || e instanceof KubernetesClientException;
        return known ? context.scrub(e.getMessage()) : "unexpected error: " + context.scrub(String.valueOf(e));
    }

    private static void report(CliContext context, Path terminationLog, AgentResult result) {
        String json = TerminationMessage.write(result);
        Path log = terminationLog != null ? terminationLog
                : Path.of(context.env().getOrDefault(TERMINATION_LOG_ENV, "/dev/termination-log"));
        try {
            Files.writeString(log, json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            context.err().println("dbsnap: warning: could not write the termination message to " + log + ": "
                    + e.getMessage());
        }
        if (result.succeeded()) {
            context.out().println(json);
        } else {
            context.err().println("dbsnap: " + result.reason() + ": " + result.message());
            context.err().println(json);
        }
    }
}
