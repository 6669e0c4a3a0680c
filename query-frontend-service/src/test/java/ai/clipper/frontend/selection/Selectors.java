package ai.clipper.frontend.selection;

import ai.clipper.metadata.RedisKeys;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** A {@link ModelSelector} for the tests of the layers above selection, its state in a real Redis. */
public final class Selectors {

  private Selectors() {
  }

  /** The selector with every policy, its state under the {@code prefix} keys of {@code redis}. */
  public static ModelSelector on(ReactiveStringRedisTemplate redis, String prefix) {
    return new ModelSelector(new SelectionPolicies(),
        new SelectionStateStore(redis, new RedisKeys(prefix), Duration.ofMillis(100), 1000,
            Ticker.systemTicker()),
        new SelectionMetrics(new SimpleMeterRegistry()));
  }
}
