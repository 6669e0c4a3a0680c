package ai.clipper.frontend.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * Clipper's {@code GET /metrics} JSON (counters, ratio_counters, meters, histograms; every value
 * a string), built from the Micrometer meters so both views always agree. Latencies are in
 * microseconds as in Clipper. Meters (EWMA rates) have no Micrometer source and are left empty;
 * rates come from Prometheus. {@code model:<m:v>:cache_hit_ratio} appears once the cache
 * registers {@code clipper.cache.requests{model, result=hit|miss}}.
 */
@Component
class ClipperMetricsReport {

  private static final double NANOS_TO_MICROS = 0.001;

  private final MeterRegistry registry;

  ClipperMetricsReport(MeterRegistry registry) {
    this.registry = registry;
  }

  Map<String, List<Map<String, Map<String, String>>>> build() {
    Map<String, Map<String, String>> counters = new TreeMap<>();
    Map<String, Map<String, String>> ratios = new TreeMap<>();
    Map<String, Map<String, String>> histograms = new TreeMap<>();

    Map<String, double[]> apps = new TreeMap<>();  // app -> {predictions, defaults}
    for (Counter counter : registry.find(MeterNames.PREDICTIONS).counters()) {
      double[] totals = apps.computeIfAbsent(counter.getId().getTag("app"), a -> new double[2]);
      totals[0] += counter.count();
      if ("true".equals(counter.getId().getTag("default"))) {
        totals[1] += counter.count();
      }
    }
    double all = 0;
    for (Map.Entry<String, double[]> app : apps.entrySet()) {
      double[] totals = app.getValue();
      all += totals[0];
      counters.put("app:" + app.getKey() + ":num_predictions", count(totals[0]));
      ratios.put("app:" + app.getKey() + ":default_prediction_ratio",
          ratio(totals[1], totals[0]));
    }
    counters.put("internal:aggregate_num_predictions", count(all));
    for (Timer timer : registry.find(MeterNames.PREDICTION_LATENCY).timers()) {
      histograms.put("app:" + timer.getId().getTag("app") + ":prediction_latency",
          HistogramSummary.of(timer.takeSnapshot(), "microseconds", NANOS_TO_MICROS));
    }

    for (Counter counter : registry.find(MeterNames.MODEL_PREDICTIONS).counters()) {
      counters.put(model(counter) + ":num_predictions", count(counter.count()));
    }
    for (Timer timer : registry.find(MeterNames.MODEL_LATENCY).timers()) {
      histograms.put(model(timer) + ":prediction_latency",
          HistogramSummary.of(timer.takeSnapshot(), "microseconds", NANOS_TO_MICROS));
    }
    for (Timer timer : registry.find(MeterNames.QUEUE_WAIT).timers()) {
      histograms.put(model(timer) + ":queue_wait",
          HistogramSummary.of(timer.takeSnapshot(), "microseconds", NANOS_TO_MICROS));
    }
    for (DistributionSummary summary : registry.find(MeterNames.BATCH_SIZE).summaries()) {
      histograms.put(model(summary) + ":batch_size",
          HistogramSummary.of(summary.takeSnapshot(), "queries", 1));
    }
    cacheHitRatios(ratios);

    return Map.of("counters", entries(counters), "ratio_counters", entries(ratios),
        "meters", List.of(), "histograms", entries(histograms));
  }

  /** The cache's seam: hits over hits plus misses, per model version. */
  private void cacheHitRatios(Map<String, Map<String, String>> ratios) {
    Map<String, double[]> models = new TreeMap<>();  // model -> {hits, requests}
    for (Counter counter : registry.find(MeterNames.CACHE_REQUESTS).counters()) {
      double[] totals = models.computeIfAbsent(counter.getId().getTag("model"),
          m -> new double[2]);
      totals[1] += counter.count();
      if ("hit".equals(counter.getId().getTag("result"))) {
        totals[0] += counter.count();
      }
    }
    models.forEach((model, totals) ->
        ratios.put("model:" + model + ":cache_hit_ratio", ratio(totals[0], totals[1])));
  }

  private static String model(io.micrometer.core.instrument.Meter meter) {
    return "model:" + meter.getId().getTag("model");
  }

  private static Map<String, String> count(double value) {
    return Map.of("count", Long.toString(Math.round(value)));
  }

  private static Map<String, String> ratio(double part, double whole) {
    return Map.of("ratio", Double.toString(whole == 0 ? 0 : part / whole));
  }

  /** Clipper lists each metric as a one-entry object. */
  private static List<Map<String, Map<String, String>>> entries(
      Map<String, Map<String, String>> named) {
    List<Map<String, Map<String, String>>> list = new ArrayList<>();
    named.forEach((name, value) -> list.add(Map.of(name, value)));
    return list;
  }
}
