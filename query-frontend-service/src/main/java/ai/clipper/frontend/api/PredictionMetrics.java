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

  /** Records one answered query of {@code app}, {@code latency} after its request was parsed. */
  void record(String app, Prediction prediction, Duration latency) {
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
        .register(registry)
        .record(latency);
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
