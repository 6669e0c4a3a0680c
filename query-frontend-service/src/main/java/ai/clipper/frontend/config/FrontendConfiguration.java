package ai.clipper.frontend.config;

import ai.clipper.metadata.RedisKeys;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Hooks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.HttpResources;

/**
 * The few beans the frontend's packages share: properties, key layout, clock, timers and event
 * loops.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FrontendProperties.class)
public class FrontendConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(FrontendConfiguration.class);

  /**
   * A query answered by its SLO timer cancels its wait, and its model call may still fail later
   * (deadline, replica gone): expected, so such late errors are logged at debug, not as Reactor's
   * default ERROR with a stack trace per missed query.
   */
  public FrontendConfiguration() {
    Hooks.onErrorDropped(error -> LOG.debug("Late error after the caller left: {}",
        error.toString()));
  }

  @Bean
  RedisKeys redisKeys(FrontendProperties properties) {
    return new RedisKeys(properties.redisPrefix());
  }

  /** Query deadlines are instants on this clock. */
  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /** Runs the delayed-batching and circuit-breaker probe timers; swappable for virtual time. */
  @Bean
  Scheduler batchingScheduler() {
    return Schedulers.parallel();
  }

  /** The HTTP server's loops (Reactor Netty's global ones, as Spring Boot's server uses). */
  @Bean
  EventLoops eventLoops() {
    return EventLoops.of(HttpResources.get());
  }

  /** Runs the SLO timers; a bean so tests can swap in virtual time. */
  @Bean
  Scheduler sloScheduler() {
    return Schedulers.parallel();
  }
}
