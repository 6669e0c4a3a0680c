package ai.clipper.frontend.config;

import ai.clipper.metadata.RedisKeys;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** The few beans the frontend's packages share: properties, key layout, clock and SLO timer. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FrontendProperties.class)
public class FrontendConfiguration {

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

  /** Runs the SLO timers; a bean so tests can swap in virtual time. */
  @Bean
  Scheduler sloScheduler() {
    return Schedulers.parallel();
  }
}
