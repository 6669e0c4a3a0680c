package ai.clipper.sdk.internal;

import ai.clipper.sdk.ContainerConfig;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.Optional;

/**
 * The container's Prometheus endpoint ({@code /metrics} on {@code CLIPPER_METRICS_PORT}): how many
 * outputs and batches it answered and how long the model took, as the frontend cannot see it.
 */
public final class ContainerMetrics implements AutoCloseable {

  private final HTTPServer server;
  private final CounterDataPoint predictions;
  private final CounterDataPoint ok;
  private final CounterDataPoint error;
  private final DistributionDataPoint predictSeconds;
  private final DistributionDataPoint batchSize;

  private ContainerMetrics(ContainerConfig config) throws IOException {
    PrometheusRegistry registry = new PrometheusRegistry();
    String model = config.modelName();
    String version = config.modelVersion();
    predictions = Counter.builder().name("clipper_container_predictions_total")
        .help("Outputs answered").labelNames("model", "version").withoutExemplars()
        .register(registry).labelValues(model, version);
    Counter batches = Counter.builder().name("clipper_container_batches_total")
        .help("Batches answered, by outcome").labelNames("model", "version", "outcome")
        .withoutExemplars().register(registry);
    ok = batches.labelValues(model, version, "ok");
    error = batches.labelValues(model, version, "error");
    predictSeconds = Histogram.builder().name("clipper_container_predict_seconds")
        .help("The model's own time per batch").labelNames("model", "version").classicOnly()
        .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
            2.5, 5, 10)
        .withoutExemplars().register(registry).labelValues(model, version);
    batchSize = Histogram.builder().name("clipper_container_batch_size")
        .help("Inputs per batch").labelNames("model", "version").classicOnly()
        .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
        .withoutExemplars().register(registry).labelValues(model, version);
    server = HTTPServer.builder().port(config.metricsPort()).registry(registry).buildAndStart();
  }

  /**
   * The endpoint {@code config} asks for, empty when its metrics port is 0.
   *
   * @throws IOException when the port cannot be bound
   */
  public static Optional<ContainerMetrics> start(ContainerConfig config) throws IOException {
    return config.metricsPort() > 0 ? Optional.of(new ContainerMetrics(config)) : Optional.empty();
  }

  /** Counts a batch the model predicted, answered or not. */
  void modelRan(int inputs, long computeNanos, boolean answered) {
    predictSeconds.observe(computeNanos / 1e9);
    batchSize.observe(inputs);
    if (answered) {
      predictions.inc(inputs);
    }
    (answered ? ok : error).inc();
  }

  /** Counts a batch refused before the model saw it (empty, or of the wrong input type). */
  void refused() {
    error.inc();
  }

  @Override
  public void close() {
    server.close();
  }
}
