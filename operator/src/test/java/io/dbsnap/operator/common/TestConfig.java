package io.dbsnap.operator.common;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** An {@link OperatorConfig} for unit tests, as the defaults and application.properties would make it. */
public final class TestConfig {

    private TestConfig() {
    }

    public static OperatorConfig of(String image, Duration giveUpAfter, Set<String> allowedEndpoints) {
        return new OperatorConfig() {
            @Override
            public JobConfig job() {
                return new JobConfig() {
                    @Override
                    public String image() {
                        return image;
                    }

                    @Override
                    public String imagePullPolicy() {
                        return "IfNotPresent";
                    }
                };
            }

            @Override
            public CleanupConfig cleanup() {
                return () -> giveUpAfter;
            }

            @Override
            public ScheduleConfig schedule() {
                return () -> 1000;
            }

            @Override
            public StorageConfig storage() {
                return () -> allowedEndpoints.isEmpty() ? Optional.empty() : Optional.of(allowedEndpoints);
            }
        };
    }
}
