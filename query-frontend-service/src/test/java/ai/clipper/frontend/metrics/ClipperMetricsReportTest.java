package ai.clipper.frontend.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Clipper's /metrics JSON, read from the same Prometheus registry the frontend uses. */
class ClipperMetricsReportTest {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ClipperMetricsReport report = new ClipperMetricsReport(registry);

  @Test
  void reportsPerAppCountsRatiosAndLatencyInMicroseconds() {
    Counter.builder("clipper.predictions").tag("app", "a").tag("default", "false")
        .register(registry).increment(3);
    Counter.builder("clipper.predictions").tag("app", "a").tag("default", "true")
        .register(registry).increment(1);
    Timer latency = Timer.builder("clipper.prediction.latency").tag("app", "a")
        .publishPercentileHistogram().register(registry);
    for (int millis = 1; millis <= 100; millis++) {
      latency.record(Duration.ofMillis(millis));
    }

    var json = report.build();

    assertThat(entry(json, "counters", "app:a:num_predictions")).containsEntry("count", "4");
    assertThat(entry(json, "ratio_counters", "app:a:default_prediction_ratio"))
        .containsEntry("ratio", "0.25");
    Map<String, String> histogram = entry(json, "histograms", "app:a:prediction_latency");
    assertThat(histogram).containsEntry("unit", "microseconds").containsEntry("size", "100")
        .containsEntry("max", "100000.0").containsEntry("mean", "50500.0");
    assertThat(Double.parseDouble(histogram.get("p50"))).isBetween(50_000.0, 60_000.0);
    assertThat(Double.parseDouble(histogram.get("p99"))).isBetween(99_000.0, 100_000.0);
    assertThat(Double.parseDouble(histogram.get("std_dev"))).isBetween(25_000.0, 33_000.0);
    assertThat(json.get("meters")).isEmpty();
  }

  @Test
  void reportsPerModelBatchSizesAndTheCacheHitRatioWhenTheCacheCountsRequests() {
    DistributionSummary sizes = DistributionSummary.builder("clipper.batch.size")
        .tag("model", "m:1").publishPercentileHistogram().register(registry);
    sizes.record(1);
    sizes.record(8);
    Counter.builder("clipper.cache.requests").tag("model", "m:1").tag("result", "hit")
        .register(registry).increment(1);
    Counter.builder("clipper.cache.requests").tag("model", "m:1").tag("result", "miss")
        .register(registry).increment(3);

    var json = report.build();

    assertThat(entry(json, "histograms", "model:m:1:batch_size"))
        .containsEntry("size", "2").containsEntry("max", "8.0").containsEntry("min", "1.0");
    assertThat(entry(json, "ratio_counters", "model:m:1:cache_hit_ratio"))
        .containsEntry("ratio", "0.25");
  }

  private static Map<String, String> entry(Map<String, List<Map<String, Map<String, String>>>> json,
      String section, String name) {
    return json.get(section).stream().filter(e -> e.containsKey(name)).findFirst()
        .map(e -> e.get(name)).orElseThrow(() -> new AssertionError(name + " in " + json));
  }
}
