package org.govshare.platform.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * The registry behind {@code /metrics}, shaped so the page stays small: request and response sizes
 * are not recorded (a histogram per route and status made the page megabytes), latencies get a
 * dozen fixed buckets (enough for percentiles per route with {@code histogram_quantile}), every
 * other distribution only count, sum and max.
 */
public final class MetricsRegistry {
  static final double[] LATENCY_BUCKETS_MS = {5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000};

  private MetricsRegistry() {}

  public static PrometheusMeterRegistry create() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config()
        .meterFilter(MeterFilter.deny(id -> id.getName().endsWith(".request.bytes") || id.getName().endsWith(".response.bytes")))
        .meterFilter(new MeterFilter() {
          @Override
          public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
            boolean latency = id.getType() == Meter.Type.TIMER
                && (id.getName().equals("vertx.http.server.response.time") || id.getName().startsWith("govshare."));
            DistributionStatisticConfig.Builder shape = DistributionStatisticConfig.builder()
                .percentilesHistogram(false)
                .percentiles(new double[0])
                .serviceLevelObjectives(latency ? nanos(LATENCY_BUCKETS_MS) : new double[0]);
            if (latency) {
              shape.minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
                  .maximumExpectedValue((double) Duration.ofSeconds(10).toNanos());
            }
            return shape.build().merge(config);
          }
        });
    return registry;
  }

  private static double[] nanos(double[] millis) {
    double[] out = new double[millis.length];
    for (int i = 0; i < millis.length; i++) {
      out[i] = millis[i] * 1_000_000d;
    }
    return out;
  }
}
