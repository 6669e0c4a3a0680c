package ai.clipper.frontend.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/** Per-app predictions, defaults by reason, and latency, for {@code /actuator/prometheus}. */
@Component
class PredictionMetrics {

  private final MeterRegistry registry;

  PredictionMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Records one answered query of {@code app}, {@code latency} after its request was parsed. The
   * latency histogram has Micrometer's percentile buckets plus exact buckets at fractions and
   * multiples of the app's SLO, so "answered within the SLO" reads off one bucket; its buckets
   * are fixed when the app's first query registers it.
   */
  void record(String app, Duration slo, Prediction prediction, Duration latency) {
    Counter.builder("clipper.predictions")
        .description("Queries answered, by app and whether the default output was used")
        .tag("app", app)
        .tag("default", Boolean.toString(prediction.isDefault()))
        .register(registry)
        .increment();
    if (prediction.isDefault()) {
      Counter.builder("clipper.defaults")
          .description("Queries answered with the app's default output, by reason")
          .tag("app", app)
          .tag("reason", reason(prediction.explanation()))
          .register(registry)
          .increment();
    }
    Timer.builder("clipper.prediction.latency")
        .description("Time from a parsed request to the answer of one of its queries")
        .tag("app", app)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(max(Duration.ofSeconds(10), slo.multipliedBy(4)))
        .serviceLevelObjectives(slo.dividedBy(4), slo.dividedBy(2), slo.multipliedBy(3).dividedBy(4),
            slo, slo.multipliedBy(5).dividedBy(4), slo.multipliedBy(3).dividedBy(2),
            slo.multipliedBy(2))
        .register(registry)
        .record(latency);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static String reason(String explanation) {
    if (Prediction.SLO_MISSED.equals(explanation)) {
      return "slo";
    }
    if (Prediction.NO_CONNECTED_MODELS.equals(explanation)) {
      return "no_model";
    }
    return "model_error";
  }
}
