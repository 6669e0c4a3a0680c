package ai.clipper.frontend.cache;

import ai.clipper.frontend.config.FrontendProperties;
import ai.clipper.frontend.input.QueryInput;
import ai.clipper.metadata.App;
import ai.clipper.metadata.ModelId;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Answers a repeated query of a model version from memory and runs identical queries in flight
 * as one model call, as Clipper's {@code PredictionCache} does, but with full key equality, a
 * bound in bytes and a per-app opt-out.
 *
 * <p>Only the model's real outputs are stored (in Caffeine, bounded); calls in flight wait in a
 * map of their own until they succeed, so a failed or shed call leaves nothing behind, and under
 * overload nothing is logged per failed query. Default outputs are chosen downstream of the cache. Each caller gets its own view of the shared call,
 * so one caller giving up (its SLO passed) never cancels it, and a late output still fills the
 * cache, as in Clipper.
 */
@Component
public class PredictionCache {

  /** Bytes per entry for the key, node and future around the data, roughly. */
  static final int ENTRY_OVERHEAD_BYTES = 64;

  /**
   * One caller's view of a lookup.
   *
   * @param output completes with the shared call's output; cancelling it cancels nothing else
   * @param joined whether another caller's call was in flight (or done) already, so its
   *     deadline, not this caller's, governed the model query
   */
  public record Lookup(CompletableFuture<String> output, boolean joined) {
  }

  private final boolean enabled;
  private final Cache<CacheKey, String> cache;
  private final ConcurrentHashMap<CacheKey, CompletableFuture<String>> inFlight =
      new ConcurrentHashMap<>();
  private final CacheMetrics metrics;

  @Autowired
  PredictionCache(FrontendProperties properties, MeterRegistry registry) {
    this(properties.cache(), registry);
  }

  public PredictionCache(FrontendProperties.Cache settings, MeterRegistry registry) {
    this.enabled = settings.enabled();
    this.cache = Caffeine.newBuilder()
        .maximumWeight(settings.maxSize().toBytes())
        .weigher(PredictionCache::weigh)
        // Maintenance (eviction) runs on the thread that writes, an event loop: handing it to
        // a pool woke a pool thread on every miss, which cost more than the work itself.
        .executor(Runnable::run)
        .build();
    this.metrics = new CacheMetrics(registry, this::weightedSize);
  }

  /** Whether {@code app}'s queries go through the cache at all. */
  public boolean serves(App app) {
    return enabled && app.cacheEnabled();
  }

  /**
   * The output of {@code model} for {@code input}: from the cache, from an identical query in
   * flight, or from {@code modelCall}. Only for an app the cache {@link #serves}.
   */
  public Lookup get(App app, ModelId model, QueryInput input,
      Supplier<CompletableFuture<String>> modelCall) {
    CacheKey key = CacheKey.of(model, input);
    String cached = cache.getIfPresent(key);
    if (cached != null) {
      metrics.record(model, true);
      return new Lookup(CompletableFuture.completedFuture(cached), true);
    }
    boolean[] called = {false};
    CompletableFuture<String> output = inFlight.computeIfAbsent(key, k -> {
      called[0] = true;
      return modelCall.get();
    });
    if (called[0]) {
      output.whenComplete((value, error) -> {
        if (error == null) {
          cache.put(key, value);
        }
        inFlight.remove(key, output);
      });
    }
    metrics.record(model, !called[0]);
    // A completed future cannot be cancelled, so it is safe to share as it is.
    return new Lookup(output.isDone() ? output : output.copy(), !called[0]);
  }

  /** The bytes the cache holds now, by its weigher. */
  long weightedSize() {
    return cache.policy().eviction()
        .map(eviction -> eviction.weightedSize().orElse(0L))
        .orElse(0L);
  }

  /** Runs pending evictions now, for tests. */
  void cleanUp() {
    cache.cleanUp();
  }

  private static int weigh(CacheKey key, String output) {
    // Outputs are mostly ASCII, which a compact String stores in one byte per character.
    return (int) Math.min(Integer.MAX_VALUE,
        ENTRY_OVERHEAD_BYTES + key.weight() + output.length());
  }
}
