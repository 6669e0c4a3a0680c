package ai.clipper.frontend.registry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * {@code metadata} in {@code /actuator/health}: UP while the routes follow Redis, {@code STALE}
 * (still HTTP 200, and outside the liveness and readiness groups: the frontend serves on) while it
 * answers from its last good snapshot, with why and since when; the same as the gauge
 * {@code clipper_metadata_stale}.
 */
@Component("metadata")
class MetadataHealthIndicator implements HealthIndicator {

  static final Status STALE = new Status("STALE", "serving the last good metadata snapshot");

  private final MetadataRegistry registry;

  MetadataHealthIndicator(MetadataRegistry registry, MeterRegistry meters) {
    this.registry = registry;
    Gauge.builder("clipper.metadata.stale", registry, r -> r.stale().isPresent() ? 1 : 0)
        .description("1 while the frontend serves a metadata snapshot Redis may no longer hold")
        .register(meters);
    Gauge.builder("clipper.metadata.version", registry, r -> r.current().version())
        .description("the metadata version counter of the snapshot in use")
        .register(meters);
  }

  @Override
  public Health health() {
    Health.Builder health = Health.up();
    registry.stale().ifPresent(stale -> health.status(STALE)
        .withDetail("reason", stale.reason())
        .withDetail("since", stale.since().toString()));
    return health.withDetail("version", registry.current().version())
        .withDetail("apps", registry.current().apps().size())
        .build();
  }
}
