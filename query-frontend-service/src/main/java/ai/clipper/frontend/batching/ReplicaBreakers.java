package ai.clipper.frontend.batching;

import ai.clipper.frontend.config.FrontendProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Clock;

/**
 * Makes each replica's circuit breaker from the configuration: faults and timeouts count
 * against a replica, a rejected input does not; it runs on the frontend's clock so
 * tests can move time.
 */
final class ReplicaBreakers {

  private final CircuitBreakerConfig config;

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
  }

  CircuitBreaker create(String replica) {
    return CircuitBreaker.of(replica, config);
  }
}
