package io.dbsnap.operator.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the operator can be configured with, in one typed place: {@code dbsnap.*} in
 * application.properties, or the environment ({@code DBSNAP_JOB_IMAGE}, ...). The Helm chart's
 * values map to these one to one.
 */
@ConfigMapping(prefix = "dbsnap")
public interface OperatorConfig {

    JobConfig job();

    CleanupConfig cleanup();

    StorageConfig storage();

    ScheduleConfig schedule();

    LeaderElectionConfig leaderElection();

    interface JobConfig {
        /** The image every snapshot Job runs (the chart sets it to the release's). */
        String image();

        @WithDefault("IfNotPresent")
        String imagePullPolicy();

        /** Secrets the Jobs' pods pull their image with, comma-separated; unset: none. */
        Optional<List<String>> imagePullSecrets();

        /** How long a Job may run when its resource does not say ({@code spec.job.activeDeadlineSeconds}). */
        @WithDefault("3600")
        long activeDeadlineSeconds();

        @WithDefault("1")
        int backoffLimit();

        /** How long a finished Job (and so its pod's log) is kept. */
        @WithDefault("86400")
        int ttlSecondsAfterFinished();

        /** The agent container's requests and limits when a resource sets none. */
        @WithDefault("250m")
        String cpuRequest();

        @WithDefault("256Mi")
        String memoryRequest();

        /** The launcher caps the heap at 1 GiB; upload buffers grow with it for very large dumps. */
        @WithDefault("1536Mi")
        String memoryLimit();

        /** No CPU limit unless set: a throttled agent only makes the dump hold its snapshot longer. */
        Optional<String> cpuLimit();

        /** Snapshot Jobs that may run at once for one database pod; the rest wait (Queued). */
        @WithDefault("1")
        int maxPerPod();

        /** Snapshot Jobs that may run at once in all; 0: no limit. */
        @WithDefault("0")
        int maxTotal();
    }

    interface CleanupConfig {
        /** How long a Delete-policy snapshot keeps trying to remove its stored data before giving up. */
        @WithDefault("PT5M")
        Duration giveUpAfter();
    }

    interface StorageConfig {
        /** The S3 endpoints snapshots may be sent to, comma-separated ("aws" for AWS itself); unset: any. */
        Optional<Set<String>> allowedEndpoints();
    }

    interface ScheduleConfig {
        /** The most snapshots one schedule may have; reaching it stops its new runs, never the operator. */
        @WithDefault("1000")
        int maxSnapshots();
    }

    interface LeaderElectionConfig {
        /** Several replicas reconcile once: the one holding the Lease acts, the others wait to take over. */
        @WithDefault("false")
        boolean enabled();

        @WithDefault("dbsnap-operator")
        String leaseName();

        /** Where the Lease lives (the chart passes the operator's own namespace); unset: the client's namespace. */
        Optional<String> leaseNamespace();
    }
}
