package io.dbsnap.cli.agent;

import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.process.Command;
import io.dbsnap.core.process.ProcessFailedException;
import io.dbsnap.core.process.ProcessRunner;
import io.dbsnap.core.process.RunningProcess;
import io.dbsnap.core.process.SecretScrubber;
import io.dbsnap.core.process.StderrTail;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;

import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs commands in a database pod's container through the Kubernetes API (pod exec). The exit
 * status comes from the API's status message; an exec whose connection ends without one (a cut
 * stream) counts as failed, never as a clean end of the dump.
 */
public final class PodExecRunner implements ProcessRunner {

    /** waitFor's answer when the exec ended without any exit status. */
    public static final int NO_EXIT_STATUS = -1;
    private static final int STDERR_KEEP = 16 * 1024;
    private static final int STDIN_SLICE = 32 * 1024;
    /** How long a failed read waits for the exec's exit status, which the API sends just before closing. */
    private static final long EXIT_STATUS_GRACE_SECONDS = 5;

    private final KubernetesClient client;
    private final ResolvedPod pod;
    private final Map<String, String> podDefaults;

    public PodExecRunner(KubernetesClient client, ResolvedPod pod, Map<String, String> podDefaults) {
        this.client = client;
        this.pod = pod;
        this.podDefaults = podDefaults;
    }

    @Override
    public boolean transportCanLoseBytes() {
        return true;
    }

    @Override
    public RunningProcess start(Command command) {
        return start(PodExecScript.of(command), command);
    }

    @Override
    public RunningProcess start(Command command, long stdinLength) {
        return start(stdinLength < 0 ? PodExecScript.of(command) : PodExecScript.of(command).feeding(stdinLength),
                command);
    }

    /**
     * An input whose length is known only at its end (a replay generated as it goes) is first written
     * to the agent's scratch space, so the pod side can be told how many bytes to read.
     */
    @Override
    public String run(Command command, Stdin stdin, String doing) {
        if (stdin.length() >= 0) {
            return ProcessRunner.super.run(command, stdin, doing);
        }
        Path spool = null;
        try {
            spool = Files.createTempFile("dbsnap-stdin-", ".tmp");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(spool), 1 << 16)) {
                stdin.writeTo(out);
            }
            return ProcessRunner.super.run(command, Stdin.of(spool), doing);
        } catch (IOException e) {
            throw new DbsnapException(doing + " failed: cannot spool its input to " + spool + ": " + e.getMessage(), e);
        } finally {
            if (spool != null) {
                try {
                    Files.deleteIfExists(spool);
                } catch (IOException ignored) {
                    // the scratch space goes with the Job
                }
            }
        }
    }

    private RunningProcess start(PodExecScript script, Command command) {
        ExecWatch watch;
        try {
            watch = client.pods().inNamespace(pod.namespace()).withName(pod.name()).inContainer(pod.container())
                    .redirectingInput().redirectingOutput().redirectingError()
                    .exec(script.argv(podDefaults).toArray(String[]::new));
        } catch (KubernetesClientException e) {
            throw new DbsnapException("could not exec " + command.program() + " in pod " + pod + ": "
                    + e.getMessage(), e);
        }
        PodProcess process = new PodProcess(watch, new SecretScrubber(command.secrets()), pod, command.program());
        try {
            OutputStream in = watch.getInput();
            in.write(script.stdinPrelude());
            in.flush();
        } catch (IOException | RuntimeException e) {
            process.close();
            throw new DbsnapException("could not start " + command.program() + " in pod " + pod + ": "
                    + e.getMessage(), e);
        }
        return process;
    }

    private static final class PodProcess implements RunningProcess {
        private final ExecWatch watch;
        private final SecretScrubber scrubber;
        private final ResolvedPod pod;
        private final String program;
        private final StderrTail stderr;
        private volatile boolean cut;

        PodProcess(ExecWatch watch, SecretScrubber scrubber, ResolvedPod pod, String program) {
            this.watch = watch;
            this.scrubber = scrubber;
            this.pod = pod;
            this.program = program;
            this.stderr = new StderrTail(watch.getError(), STDERR_KEEP);
            this.stderr.start();
        }

        @Override
        public OutputStream stdin() {
            // the v4 exec protocol cannot signal the end of stdin: closing it must not close the exec
            return new FilterOutputStream(watch.getInput()) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    // one websocket frame per slice: servers cap a frame's size (the sandbox's at 64 KiB)
                    for (int at = off; at < off + len; at += STDIN_SLICE) {
                        out.write(b, at, Math.min(STDIN_SLICE, off + len - at));
                    }
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            };
        }

        @Override
        public InputStream stdout() {
            return new FilterInputStream(watch.getOutput()) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    try {
                        return super.read(b, off, len);
                    } catch (IOException e) {
                        throw explained(e);
                    }
                }
            };
        }

        /**
         * The client closes stdout when the exec ends, and a read then fails with a bare "closed": what
         * the command's exit status (or its absence) says is the better reason.
         */
        private RuntimeException explained(IOException readFailure) {
            Integer exit;
            try {
                exit = watch.exitCode().get(EXIT_STATUS_GRACE_SECONDS, TimeUnit.SECONDS);
                stderr.join(TimeUnit.SECONDS.toMillis(EXIT_STATUS_GRACE_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exit = null;
            } catch (ExecutionException | TimeoutException e) {
                exit = null;
            }
            if (exit == null) {
                cut = true;
                return new ProcessFailedException(program + " in pod " + pod, NO_EXIT_STATUS, stderrTail(),
                        unscrubbedStderrTail());
            }
            if (exit != 0) {
                return new ProcessFailedException(program + " in pod " + pod, exit, stderrTail(), unscrubbedStderrTail());
            }
            return new DbsnapException("reading the output of " + program + " in pod " + pod + " failed: "
                    + readFailure.getMessage(), readFailure);
        }

        @Override
        public int waitFor() throws InterruptedException {
            Integer exit;
            try {
                exit = watch.exitCode().get();
            } catch (ExecutionException e) {
                exit = null;
            }
            stderr.join(TimeUnit.SECONDS.toMillis(5));
            if (exit == null) {
                cut = true;
                return NO_EXIT_STATUS;
            }
            return exit;
        }

        @Override
        public String stderrTail() {
            return scrubber.scrub(unscrubbedStderrTail());
        }

        @Override
        public String unscrubbedStderrTail() {
            String tail = stderr.text();
            if (cut) {
                tail = (tail.isBlank() ? "" : tail.strip() + "\n")
                        + "the exec connection to pod " + pod + " ended without an exit status (stream cut)";
            }
            return tail;
        }

        @Override
        public void kill() {
            watch.close();
        }

        @Override
        public void close() {
            watch.close();
        }
    }
}
