package ai.clipper.frontend.query;

import ai.clipper.frontend.metrics.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** Per-app predictions, defaults by reason, and latency, for {@code /actuator/prometheus}. */
@Component
class PredictionMetrics {

  /** The meters of one app at one SLO, looked up once rather than built on every query. */
  private record AppMeters(Counter answered, Counter defaulted, Timer latency,
      Map<Prediction.DefaultReason, Counter> defaultsByReason) {
  }

  private record AppSlo(String app, Duration slo) {
  }

  private final MeterRegistry registry;
  private final Map<AppSlo, AppMeters> meters = new ConcurrentHashMap<>();

  PredictionMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Records one answered query of {@code app}, {@code latency} after its request arrived. */
  void record(String app, Duration slo, Prediction prediction, Duration latency) {
    AppMeters appMeters = meters.computeIfAbsent(new AppSlo(app, slo), this::register);
    if (prediction.isDefault()) {
      appMeters.defaulted().increment();
      appMeters.defaultsByReason().computeIfAbsent(prediction.reason(),
          reason -> Counter.builder(MeterNames.DEFAULTS)
              .description("Queries answered with the app's default output, by reason")
              .tag("app", app)
              .tag("reason", reason.label())
              .register(registry)).increment();
    } else {
      appMeters.answered().increment();
    }
    appMeters.latency().record(latency);
  }

  /**
   * The latency histogram has Micrometer's percentile buckets plus exact buckets at fractions and
   * multiples of the app's SLO, so "answered within the SLO" reads off one bucket; a new SLO
   * registers new buckets only if the app's timer did not exist yet (Micrometer keeps the first).
   */
  private AppMeters register(AppSlo key) {
    Duration slo = key.slo();
    return new AppMeters(predictions(key.app(), false), predictions(key.app(), true),
        Timer.builder(MeterNames.PREDICTION_LATENCY)
            .description("Time from a request's arrival to the answer of one of its queries")
            .tag("app", key.app())
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(max(Duration.ofSeconds(10), slo.multipliedBy(4)))
            .serviceLevelObjectives(slo.dividedBy(4), slo.dividedBy(2),
                slo.multipliedBy(3).dividedBy(4), slo, slo.multipliedBy(5).dividedBy(4),
                slo.multipliedBy(3).dividedBy(2), slo.multipliedBy(2))
            .register(registry),
        new ConcurrentHashMap<>());
  }

  private Counter predictions(String app, boolean isDefault) {
    return Counter.builder(MeterNames.PREDICTIONS)
        .description("Queries answered, by app and whether the default output was used")
        .tag("app", app)
        .tag("default", Boolean.toString(isDefault))
        .register(registry);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
