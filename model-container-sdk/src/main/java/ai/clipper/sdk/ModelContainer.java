package ai.clipper.sdk;

import ai.clipper.sdk.internal.ContainerMetrics;
import ai.clipper.sdk.internal.ManagementClient;
import ai.clipper.sdk.internal.PredictService;
import ai.clipper.sdk.internal.PredictTracing;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A running model container: serves a {@link Model} over gRPC with the standard health service,
 * and registers itself with the management service when a URL is configured.
 *
 * <pre>{@code
 * Model<double[]> sum = inputs -> ...;
 * try (ModelContainer container = ModelContainer.start(sum, ContainerConfig.fromEnvironment())) {
 *   container.awaitTermination();
 * }
 * }</pre>
 */
public final class ModelContainer implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ModelContainer.class.getName());

  private final Server server;
  private final HealthStatusManager health;
  private final ExecutorService modelThread;
  private final ContainerConfig config;
  private final Optional<PredictTracing> tracing;
  private final Optional<ContainerMetrics> metrics;

  private ModelContainer(Server server, HealthStatusManager health, ExecutorService modelThread,
      ContainerConfig config, Optional<PredictTracing> tracing,
      Optional<ContainerMetrics> metrics) {
    this.server = server;
    this.health = health;
    this.modelThread = modelThread;
    this.config = config;
    this.tracing = tracing;
    this.metrics = metrics;
  }

  /**
   * Starts serving {@code model} as {@code config} describes and, when {@code config} names a
   * management URL, registers this container as a replica of its model version. The model
   * predicts one batch at a time, on one thread; health checks are answered meanwhile. With a
   * metrics port it serves Prometheus metrics there; with tracing it sends a {@code predict} span
   * for every sampled query.
   *
   * @throws IOException when the port or the metrics port cannot be bound
   * @throws IllegalStateException when the management service refuses the registration or never
   *     accepts it (the server is stopped again, so the process can exit)
   */
  public static ModelContainer start(Model<?> model, ContainerConfig config) throws IOException {
    config.sample().ifPresent(sample -> warmUp(model, sample));
    HealthStatusManager health = new HealthStatusManager();
    ExecutorService modelThread = Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "model");
      thread.setDaemon(true);
      return thread;
    });
    Optional<ContainerMetrics> metrics = ContainerMetrics.start(config);
    Optional<PredictTracing> tracing = PredictTracing.start(config);
    PredictService predictions = new PredictService(model, config, modelThread, tracing, metrics);
    Server server;
    try {
      server = NettyServerBuilder.forAddress(new InetSocketAddress(config.port()))
          .addService(tracing.map(t -> ServerInterceptors.intercept(predictions, t.interceptor()))
              .orElseGet(predictions::bindService))
          .addService(health.getHealthService())
          .maxInboundMessageSize(64 * 1024 * 1024)
          .build()
          .start();
    } catch (IOException e) {
      metrics.ifPresent(ContainerMetrics::close);
      tracing.ifPresent(PredictTracing::close);
      throw e;
    }
    health.setStatus("", ServingStatus.SERVING);
    ModelContainer container = new ModelContainer(server, health, modelThread, config, tracing,
        metrics);
    LOG.info(() -> "Serving model " + config.modelName() + ":" + config.modelVersion() + " ("
        + config.inputType() + ") on port " + server.getPort());
    try {
      config.managementUrl().ifPresent(url ->
          new ManagementClient(url, config.managementToken()).register(config, server.getPort()));
    } catch (IllegalStateException e) {
      container.close();
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(container::close, "container-shutdown"));
    return container;
  }

  /**
   * Predicts the sample once, before the container serves: its first query then finds the model
   * warm (loaded, compiled), and a model that cannot answer fails here, with its own message.
   *
   * @throws IllegalStateException when the model fails on the sample or answers it wrongly
   */
  @SuppressWarnings("unchecked")
  private static void warmUp(Model<?> model, Object sample) {
    List<String> outputs;
    try {
      outputs = ((Model<Object>) model).predict(List.of(sample));
    } catch (Exception | LinkageError e) {
      throw new IllegalStateException("The model failed on its sample input: " + e, e);
    }
    if (outputs == null || outputs.size() != 1) {
      throw new IllegalStateException("The model answered its sample input with "
          + (outputs == null ? "null" : outputs.size() + " outputs") + ", not one");
    }
  }

  /** The port this container listens on (useful when it was started on port 0). */
  public int port() {
    return server.getPort();
  }

  /** The configuration this container serves with. */
  public ContainerConfig config() {
    return config;
  }

  /** Blocks until the container is shut down. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /**
   * Stops accepting calls, lets running batches finish for up to 5 seconds, then stops; sends the
   * spans not sent yet and stops serving metrics.
   */
  @Override
  public void close() {
    if (server.isShutdown()) {
      return;
    }
    health.enterTerminalState();
    server.shutdown();
    modelThread.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
        modelThread.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      modelThread.shutdownNow();
      Thread.currentThread().interrupt();
    }
    tracing.ifPresent(PredictTracing::close);
    metrics.ifPresent(ContainerMetrics::close);
  }
}
