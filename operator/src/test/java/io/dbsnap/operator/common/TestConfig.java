package io.dbsnap.operator.common;

import java.time.Duration;
import java.util.List;
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

                    @Override
                    public Optional<List<String>> imagePullSecrets() {
                        return Optional.empty();
                    }

                    @Override
                    public long activeDeadlineSeconds() {
                        return 3600;
                    }

                    @Override
                    public int backoffLimit() {
                        return 1;
                    }

                    @Override
                    public int ttlSecondsAfterFinished() {
                        return 86400;
                    }

                    @Override
                    public String cpuRequest() {
                        return "250m";
                    }

                    @Override
                    public String memoryRequest() {
                        return "256Mi";
                    }

                    @Override
                    public String memoryLimit() {
                        return "1536Mi";
                    }

                    @Override
                    public Optional<String> cpuLimit() {
                        return Optional.empty();
                    }

                    @Override
                    public int maxPerPod() {
                        return 1;
                    }

                    @Override
                    public int maxTotal() {
                        return 0;
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
            public LeaderElectionConfig leaderElection() {
                return new LeaderElectionConfig() {
                    @Override
                    public boolean enabled() {
                        return false;
                    }

                    @Override
                    public String leaseName() {
                        return "dbsnap-operator";
                    }

                    @Override
                    public Optional<String> leaseNamespace() {
                        return Optional.empty();
                    }
                };
            }

            @Override
            public StorageConfig storage() {
                return () -> allowedEndpoints.isEmpty() ? Optional.empty() : Optional.of(allowedEndpoints);
            }
        };
    }
}
