package ai.clipper.management.metadata;

import ai.clipper.metadata.MetadataFreshness;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Checks Redis's version counter every second, so the management service says, as the frontends
 * do, when Redis lost or was replaced with other data (the counter went back) or is unreachable:
 * {@code metadata} in {@code /actuator/health} turns {@code STALE} with why and since when, the
 * gauge {@code clipper_metadata_stale} turns 1, and one WARN line is logged. It stays so until a
 * change is written after the loss (the operator deploying again), as on the frontends.
 */
@Component("metadata")
class MetadataWatch implements SmartLifecycle, HealthIndicator {

  private static final Logger LOG = LoggerFactory.getLogger(MetadataWatch.class);
  private static final Status STALE = new Status("STALE", "Redis does not hold what it held");

  private final MetadataStore store;
  private final MetadataFreshness freshness;
  private ScheduledExecutorService checks;

  MetadataWatch(MetadataStore store, MeterRegistry meters) {
    this.store = store;
    this.freshness = new MetadataFreshness(Clock.systemUTC(), new MetadataFreshness.Listener() {
      @Override
      public void turnedStale(MetadataFreshness.Stale stale) {
        LOG.warn("Metadata in Redis is stale (last good version {}): {}",
            stale.appliedVersion(), stale.reason());
      }

      @Override
      public void turnedFresh(long version) {
        LOG.info("Metadata in Redis follows on again, at version {}", version);
      }
    });
    Gauge.builder("clipper.metadata.stale", freshness, f -> f.stale().isPresent() ? 1 : 0)
        .description("1 while Redis may not hold the metadata it held")
        .register(meters);
  }

  void check() {
    try {
      long version = store.version();
      if (freshness.observe(version)) {
        freshness.applied(version);
      }
    } catch (RuntimeException e) {
      freshness.unreachable(e.toString());
    }
  }

  @Override
  public Health health() {
    Health.Builder health = Health.up();
    freshness.stale().ifPresent(stale -> health.status(STALE)
        .withDetail("reason", stale.reason())
        .withDetail("since", stale.since().toString()));
    return health.withDetail("version", freshness.appliedVersion()).build();
  }

  @Override
  public synchronized void start() {
    checks = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "metadata-watch");
      thread.setDaemon(true);
      return thread;
    });
    checks.scheduleWithFixedDelay(this::check, 0, 1, TimeUnit.SECONDS);
  }

  @Override
  public synchronized void stop() {
    checks.shutdownNow();
    checks = null;
  }

  @Override
  public synchronized boolean isRunning() {
    return checks != null;
  }
}
