package ai.clipper.frontend.query;

import ai.clipper.frontend.metrics.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Per-app predictions, defaults by reason, answers within the SLO and latency, and per model
 * version the latency of the queries it answered, for {@code /actuator/prometheus}.
 */
@Component
class PredictionMetrics {

  /** The meters of one app at one SLO, looked up once rather than built on every query. */
  private record AppMeters(Counter answered, Counter defaulted, Counter sloMet, Timer latency,
      Map<Prediction.DefaultReason, Counter> defaultsByReason) {
  }

  private record AppSlo(String app, Duration slo) {
  }

  private final MeterRegistry registry;
  private final Map<AppSlo, AppMeters> meters = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> sloNanos = new ConcurrentHashMap<>();
  private final Map<String, Timer> modelLatency = new ConcurrentHashMap<>();

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
      if (latency.compareTo(slo) <= 0) {
        appMeters.sloMet().increment();
      }
      if (prediction.model() != null) {
        modelLatency.computeIfAbsent(prediction.model(), model -> latency(
            MeterNames.QUERY_LATENCY, "Time from a request's arrival to the model's answer",
            "model", model, slo)).record(latency);
      }
    }
    appMeters.latency().record(latency);
  }

  /**
   * The latency histogram has Micrometer's percentile buckets plus exact buckets at fractions and
   * multiples of the app's SLO, so "answered within the SLO" reads off one bucket; a new SLO
   * registers new buckets only if the app's timer did not exist yet (Micrometer keeps the first).
   */
  private AppMeters register(AppSlo key) {
    sloNanos.computeIfAbsent(key.app(), app -> {
      AtomicLong nanos = new AtomicLong();
      Gauge.builder(MeterNames.APP_SLO, nanos, n -> n.get() / 1e9)
          .description("The app's latency SLO")
          .baseUnit("seconds")
          .tag("app", app)
          .register(registry);
      return nanos;
    }).set(key.slo().toNanos());
    return new AppMeters(predictions(key.app(), false), predictions(key.app(), true),
        Counter.builder(MeterNames.SLO_MET)
            .description("Queries the model answered within the app's SLO")
            .tag("app", key.app())
            .register(registry),
        latency(MeterNames.PREDICTION_LATENCY,
            "Time from a request's arrival to the answer of one of its queries", "app", key.app(),
            key.slo()),
        new ConcurrentHashMap<>());
  }

  /**
   * A latency histogram with Micrometer's percentile buckets plus exact buckets at fractions and
   * multiples of the SLO.
   */
  private Timer latency(String name, String description, String tag, String value,
      Duration slo) {
    return Timer.builder(name)
        .description(description)
        .tag(tag, value)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(max(Duration.ofSeconds(10), slo.multipliedBy(4)))
        .serviceLevelObjectives(slo.dividedBy(4), slo.dividedBy(2),
            slo.multipliedBy(3).dividedBy(4), slo, slo.multipliedBy(5).dividedBy(4),
            slo.multipliedBy(3).dividedBy(2), slo.multipliedBy(2))
        .register(registry);
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
