package ai.clipper.frontend.cache;

import ai.clipper.frontend.metrics.MeterNames;
import ai.clipper.metadata.ModelId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Cache hits and misses per model version, and the cache's size in bytes (Clipper's
 * {@code model:<m:v>:cache_hit_ratio}); counters are looked up once per model, off the hot path.
 */
final class CacheMetrics {

  private record Counters(Counter hits, Counter misses) {
  }

  private final MeterRegistry registry;
  private final Map<ModelId, Counters> counters = new ConcurrentHashMap<>();

  CacheMetrics(MeterRegistry registry, LongSupplier weightedSize) {
    this.registry = registry;
    Gauge.builder(MeterNames.CACHE_SIZE, weightedSize, LongSupplier::getAsLong)
        .description("Bytes of inputs and outputs held by the prediction cache")
        .baseUnit("bytes")
        .strongReference(true)
        .register(registry);
  }

  /** Records one lookup; a query that waits on an identical one in flight is a hit. */
  void record(ModelId model, boolean hit) {
    Counters forModel = counters.computeIfAbsent(model, id ->
        new Counters(counter(id, "hit"), counter(id, "miss")));
    (hit ? forModel.hits() : forModel.misses()).increment();
  }

  private Counter counter(ModelId model, String result) {
    return Counter.builder(MeterNames.CACHE_REQUESTS)
        .description("Prediction cache lookups, by model version and result")
        .tag("model", model.toString())
        .tag("result", result)
        .register(registry);
  }
}
