package ai.clipper.frontend.batching;

import ai.clipper.frontend.metrics.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;

/**
 * The meters of one model version, tagged {@code model="name:version"}: batch sizes, queue wait,
 * model (batch round-trip) latency, the model's own compute time, outputs answered, replicas up
 * and queue depth. The
 * {@code /metrics} report reads them back by their {@link MeterNames}.
 */
final class ModelMetrics implements AutoCloseable {

  /**
   * Fixed buckets (powers of two; 1-2.5-5 steps from 100 µs to 10 s) rather than Micrometer's
   * percentile histograms, which would put ~80 series per meter and model into every scrape.
   */
  private static final double[] SIZE_BUCKETS =
      {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};
  private static final Duration[] LATENCY_BUCKETS = java.util.stream.DoubleStream.of(
          0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000)
      .mapToObj(millis -> Duration.ofNanos((long) (millis * 1_000_000)))
      .toArray(Duration[]::new);

  private final DistributionSummary batchSize;
  private final Timer queueWait;
  private final Timer batchFormation;
  private final Counter admitted;
  private final Counter defaulted;
  private final Counter rejected;
  private final Timer modelLatency;
  private final Timer modelCompute;
  private final Counter predictions;
  private final Counter replicaErrors;
  private final MeterRegistry registry;
  private final List<Meter> meters;

  ModelMetrics(MeterRegistry registry, BatchQueue queue) {
    String model = queue.model().toString();
    batchSize = DistributionSummary.builder(MeterNames.BATCH_SIZE)
        .description("Queries per batch sent to a replica")
        .tag("model", model)
        .serviceLevelObjectives(SIZE_BUCKETS)
        .register(registry);
    queueWait = Timer.builder(MeterNames.QUEUE_WAIT)
        .description("Time a query waited in its model's queue before its batch was sent")
        .tag("model", model)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
    batchFormation = Timer.builder(MeterNames.BATCH_FORMATION)
        .description("Age of a batch when sent: from its oldest query joining the queue")
        .tag("model", model)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
    admitted = admission(registry, model, "admitted");
    defaulted = admission(registry, model, "defaulted");
    rejected = admission(registry, model, "rejected");
    modelLatency = Timer.builder(MeterNames.MODEL_LATENCY)
        .description("Round trip of one batch to a replica")
        .tag("model", model)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
    modelCompute = Timer.builder(MeterNames.MODEL_COMPUTE)
        .description("The model's own time per batch, as its container measured it")
        .tag("model", model)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
    predictions = Counter.builder(MeterNames.MODEL_PREDICTIONS)
        .description("Outputs a model version answered")
        .tag("model", model)
        .register(registry);
    replicaErrors = Counter.builder(MeterNames.REPLICA_ERRORS)
        .description("Batches a replica failed or timed out on")
        .tag("model", model)
        .register(registry);
    Gauge replicasUp = Gauge.builder(MeterNames.REPLICAS_UP, queue.capacity(),
            Capacity::replicasUp)
        .description("Connected replicas whose circuit breaker is not open")
        .tag("model", model)
        .register(registry);
    Gauge queueDepth = Gauge.builder(MeterNames.QUEUE_DEPTH, queue, BatchQueue::size)
        .description("Queries waiting in the model's queue")
        .tag("model", model)
        .register(registry);
    this.registry = registry;
    this.meters = List.of(batchSize, queueWait, batchFormation, admitted, defaulted, rejected,
        modelLatency, modelCompute, predictions, replicaErrors, replicasUp, queueDepth);
  }

  /** Metrics that go nowhere, for tests of the batching logic alone. */
  static ModelMetrics discarding(BatchQueue queue) {
    return new ModelMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), queue);
  }

  private static Counter admission(MeterRegistry registry, String model, String decision) {
    return Counter.builder(MeterNames.ADMISSION)
        .description("Admission control's decisions on queries offered to the model's queue")
        .tag("model", model)
        .tag("decision", decision)
        .register(registry);
  }

  void sent(int size, Duration[] waits) {
    batchSize.record(size);
    Duration oldest = Duration.ZERO;
    for (Duration wait : waits) {
      queueWait.record(wait);
      oldest = wait.compareTo(oldest) > 0 ? wait : oldest;
    }
    batchFormation.record(oldest);
  }

  void admitted() {
    admitted.increment();
  }

  /** A query the queue refused: shed (its caller gets the default) or full (a 503). */
  void refused(QueryFailure refusal) {
    (refusal instanceof QueueFullException ? rejected : defaulted).increment();
  }

  void answered(int size, long roundTripNanos, long computeNanos) {
    modelLatency.record(Duration.ofNanos(roundTripNanos));
    modelCompute.record(Duration.ofNanos(computeNanos));
    predictions.increment(size);
  }

  /** Removes the model version's meters: it is gone from the metadata, so are its series. */
  @Override
  public void close() {
    meters.forEach(registry::remove);
  }

  void failed(long latencyNanos) {
    modelLatency.record(Duration.ofNanos(latencyNanos));
    replicaErrors.increment();
  }
}
