package ai.clipper.frontend.batching;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The meters of one model version, tagged {@code model="name:version"}: batch sizes, queue wait,
 * model (batch round-trip) latency, outputs answered, replicas up and queue depth. The
 * {@code /metrics} report reads them back by these names.
 */
final class ModelMetrics {

  static final String BATCH_SIZE = "clipper.batch.size";
  static final String QUEUE_WAIT = "clipper.queue.wait";
  static final String MODEL_LATENCY = "clipper.model.latency";
  static final String PREDICTIONS = "clipper.model.predictions";
  static final String REPLICA_ERRORS = "clipper.replica.errors";
  static final String REPLICAS_UP = "clipper.replicas.up";
  static final String QUEUE_DEPTH = "clipper.queue.depth";

  private final DistributionSummary batchSize;
  private final Timer queueWait;
  private final Timer modelLatency;
  private final Counter predictions;
  private final Counter replicaErrors;

  ModelMetrics(MeterRegistry registry, BatchQueue queue) {
    String model = queue.model().toString();
    batchSize = DistributionSummary.builder(BATCH_SIZE)
        .description("Queries per batch sent to a replica")
        .tag("model", model)
        .publishPercentileHistogram()
        .minimumExpectedValue(1.0)
        .maximumExpectedValue(4096.0)
        .register(registry);
    queueWait = Timer.builder(QUEUE_WAIT)
        .description("Time a query waited in its model's queue before its batch was sent")
        .tag("model", model)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(10_000))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
    modelLatency = Timer.builder(MODEL_LATENCY)
        .description("Round trip of one batch to a replica")
        .tag("model", model)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(100_000))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
    predictions = Counter.builder(PREDICTIONS)
        .description("Outputs a model version answered")
        .tag("model", model)
        .register(registry);
    replicaErrors = Counter.builder(REPLICA_ERRORS)
        .description("Batches a replica failed or timed out on")
        .tag("model", model)
        .register(registry);
    Gauge.builder(REPLICAS_UP, queue, BatchQueue::replicasUp)
        .description("Connected replicas whose circuit breaker is not open")
        .tag("model", model)
        .register(registry);
    Gauge.builder(QUEUE_DEPTH, queue, BatchQueue::size)
        .description("Queries waiting in the model's queue")
        .tag("model", model)
        .register(registry);
  }

  /** Metrics that go nowhere, for tests of the batching logic alone. */
  static ModelMetrics discarding(BatchQueue queue) {
    return new ModelMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), queue);
  }

  void sent(int size, Duration[] waits) {
    batchSize.record(size);
    for (Duration wait : waits) {
      queueWait.record(wait);
    }
  }

  void answered(int size, long latencyNanos) {
    modelLatency.record(Duration.ofNanos(latencyNanos));
    predictions.increment(size);
  }

  void failed(long latencyNanos) {
    modelLatency.record(Duration.ofNanos(latencyNanos));
    replicaErrors.increment();
  }
}
