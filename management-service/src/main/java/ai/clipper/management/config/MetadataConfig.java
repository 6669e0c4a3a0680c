package ai.clipper.management.config;

import ai.clipper.metadata.RedisKeys;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the shared Redis key layout with the configured prefix. */
@Configuration(proxyBeanMethods = false)
class MetadataConfig {

  @Bean
  RedisKeys redisKeys(ManagementProperties properties) {
    return new RedisKeys(properties.redisPrefix());
  }
}
