package ai.clipper.frontend.cache;

import ai.clipper.frontend.config.FrontendProperties;
import ai.clipper.metadata.App;
import ai.clipper.metadata.ModelId;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Answers a repeated query of a model version from memory and runs identical queries in flight
 * as one model call, as Clipper's {@code PredictionCache} does, but with full key equality, a
 * bound in bytes and a per-app opt-out.
 *
 * <p>Only the model's real outputs are stored: a failed call is dropped by Caffeine, and default
 * outputs are chosen downstream of the cache. One caller giving up (its SLO passed) never cancels
 * the shared call, so a late output still fills the cache, as in Clipper. The first of several
 * coalesced queries makes the call, so its deadline governs the queued model query: when the
 * queue drops it as expired, every caller waiting on it sees that failure.
 */
@Component
public class PredictionCache {

  /** Bytes per entry for the key, node and future around the data, roughly. */
  static final int ENTRY_OVERHEAD_BYTES = 64;

  private final boolean enabled;
  private final AsyncCache<CacheKey, String> cache;
  private final CacheMetrics metrics;

  @Autowired
  PredictionCache(FrontendProperties properties, MeterRegistry registry) {
    this(properties.cache(), registry, ForkJoinPool.commonPool());
  }

  /** @param executor runs Caffeine's maintenance (eviction); tests pass {@code Runnable::run} */
  PredictionCache(FrontendProperties.Cache settings, MeterRegistry registry, Executor executor) {
    this.enabled = settings.enabled();
    this.cache = Caffeine.newBuilder()
        .maximumWeight(settings.maxSize().toBytes())
        .weigher(PredictionCache::weigh)
        .executor(executor)
        .buildAsync();
    this.metrics = new CacheMetrics(registry, this::weightedSize);
  }

  /**
   * The output of {@code model} for {@code input}: from the cache, from an identical query in
   * flight, or from {@code modelCall}, unless the app or the configuration turns the cache off.
   * Cancelling the result abandons only this caller's wait.
   */
  public Mono<String> get(App app, ModelId model, Object input,
      Supplier<Mono<String>> modelCall) {
    if (!enabled || !app.cacheEnabled()) {
      return modelCall.get();
    }
    return Mono.defer(() -> {
      CacheKey key = CacheKey.of(model, app.inputType(), input);
      boolean[] called = {false};
      CompletableFuture<String> output = cache.get(key, (k, executor) -> {
        called[0] = true;
        return modelCall.get().toFuture();
      });
      metrics.record(model, !called[0]);
      return Mono.fromFuture(output, true);
    });
  }

  /** The bytes the cache holds now, by its weigher. */
  long weightedSize() {
    return cache.synchronous().policy().eviction()
        .map(eviction -> eviction.weightedSize().orElse(0L))
        .orElse(0L);
  }

  /** Runs pending evictions now, for tests. */
  void cleanUp() {
    cache.synchronous().cleanUp();
  }

  private static int weigh(CacheKey key, String output) {
    // Outputs are mostly ASCII, which a compact String stores in one byte per character.
    return (int) Math.min(Integer.MAX_VALUE,
        ENTRY_OVERHEAD_BYTES + key.weight() + output.length());
  }
}
