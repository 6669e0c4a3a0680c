package ai.clipper.frontend.batching;

import ai.clipper.frontend.config.FrontendProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Clock;
import java.time.Duration;

/**
 * Makes each replica's {@link ReplicaHealth} from the configuration: faults and timeouts count
 * against a replica, a rejected input does not; it runs on the frontend's clock so tests can
 * move time.
 */
final class ReplicaBreakers {

  private final CircuitBreakerConfig config;
  private final Duration openDuration;
  private final Clock clock;

  ReplicaBreakers(FrontendProperties.CircuitBreaker settings, Clock clock) {
    this.config = CircuitBreakerConfig.custom()
        .slidingWindow(settings.slidingWindow(), settings.minimumCalls(),
            SlidingWindowType.COUNT_BASED)
        .failureRateThreshold(settings.failureRatePercent())
        .waitDurationInOpenState(settings.openDuration())
        .permittedNumberOfCallsInHalfOpenState(settings.probes())
        .recordException(ReplicaWorker::isReplicaFault)
        .clock(clock)
        .build();
    this.openDuration = settings.openDuration();
    this.clock = clock;
  }

  ReplicaHealth create(String replica) {
    return new ReplicaHealth(CircuitBreaker.of(replica, config), clock, openDuration);
  }
}
