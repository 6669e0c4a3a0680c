package ai.clipper.frontend.registry;

import ai.clipper.frontend.config.FrontendProperties;
import ai.clipper.metadata.RedisKeys;
import java.time.Clock;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** A {@link MetadataRegistry} on a real Redis, for the tests of the layers that read it. */
public final class Registries {

  private Registries() {
  }

  /**
   * The registry as the service builds it, not started: it reads Redis (its first read at once)
   * only once the test calls {@link MetadataRegistry#start()}.
   */
  public static MetadataRegistry on(ReactiveStringRedisTemplate redis,
      FrontendProperties properties, Clock clock) {
    RedisKeys keys = new RedisKeys(properties.redisPrefix());
    return new MetadataRegistry(new SnapshotReader(redis, keys), redis, keys, properties, clock);
  }
}
