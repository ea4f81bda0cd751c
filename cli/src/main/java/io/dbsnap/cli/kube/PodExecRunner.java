package io.dbsnap.cli.kube;

import io.dbsnap.core.DbsnapException;
import io.dbsnap.core.process.Command;
import io.dbsnap.core.process.ProcessRunner;
import io.dbsnap.core.process.RunningProcess;
import io.dbsnap.core.process.SecretScrubber;
import io.dbsnap.core.process.StderrTail;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands in a database pod's container through the Kubernetes API (pod exec). The exit
 * status comes from the API's status message; an exec whose connection ends without one (a cut
 * stream) counts as failed, never as a clean end of the dump.
 */
public final class PodExecRunner implements ProcessRunner {

    /** waitFor's answer when the exec ended without any exit status. */
    public static final int NO_EXIT_STATUS = -1;
    private static final int STDERR_KEEP = 16 * 1024;

    private final KubernetesClient client;
    private final ResolvedPod pod;
    private final Map<String, String> podDefaults;

    public PodExecRunner(KubernetesClient client, ResolvedPod pod, Map<String, String> podDefaults) {
        this.client = client;
        this.pod = pod;
        this.podDefaults = podDefaults;
    }

    @Override
    public RunningProcess start(Command command) {
        ExecWatch watch;
        try {
            watch = client.pods().inNamespace(pod.namespace()).withName(pod.name()).inContainer(pod.container())
                    .redirectingInput().redirectingOutput().redirectingError()
                    .exec(PodExecScript.argv(command, podDefaults).toArray(String[]::new));
        } catch (KubernetesClientException e) {
            throw new DbsnapException("could not exec " + command.program() + " in pod " + pod + ": "
                    + e.getMessage(), e);
        }
        PodProcess process = new PodProcess(watch, new SecretScrubber(command.secrets()), pod);
        try {
            OutputStream in = watch.getInput();
            in.write(PodExecScript.stdinPrelude(command));
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
        private final StderrTail stderr;
        private volatile boolean cut;

        PodProcess(ExecWatch watch, SecretScrubber scrubber, ResolvedPod pod) {
            this.watch = watch;
            this.scrubber = scrubber;
            this.pod = pod;
            this.stderr = new StderrTail(watch.getError(), STDERR_KEEP);
            this.stderr.start();
        }

        @Override
        public OutputStream stdin() {
            // the v4 exec protocol cannot signal the end of stdin: closing it must not close the exec
            return new FilterOutputStream(watch.getInput()) {
                @Override
                public void close() throws IOException {
                    flush();
                }
            };
        }

        @Override
        public InputStream stdout() {
            return watch.getOutput();
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
            String tail = scrubber.scrub(stderr.text());
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
