package io.dbsnap.operator.common;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * JOSDK's own reconciliation metrics on /q/metrics. quarkus-operator-sdk's provider hands JOSDK its
 * Metrics before Micrometer has bound it to a registry, so JOSDK recorded nothing; this one is made
 * from the registry itself.
 */
public class JosdkMetrics {

    @Produces
    @Singleton
    Metrics josdkMetrics(MeterRegistry registry) {
        return MicrometerMetricsV2.newBuilder(registry).build();
    }
}
