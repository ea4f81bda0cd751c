package io.dbsnap.operator.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
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

    interface JobConfig {
        /** The image every snapshot Job runs (the chart sets it to the release's). */
        String image();

        @WithDefault("IfNotPresent")
        String imagePullPolicy();
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
}
