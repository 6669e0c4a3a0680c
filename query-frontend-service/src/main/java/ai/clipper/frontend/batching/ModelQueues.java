package ai.clipper.frontend.batching;

import ai.clipper.frontend.config.FrontendProperties;
import ai.clipper.frontend.input.QueryInput;
import ai.clipper.frontend.registry.MetadataRegistry;
import ai.clipper.frontend.registry.MetadataSnapshot;
import ai.clipper.frontend.tracing.CallTiming;
import ai.clipper.metadata.App;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.Replica;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * The abstraction layer's entry point: one queue per model version, and one worker with its own
 * gRPC client, batch sizer and circuit breaker per UP replica, kept in step with every metadata
 * snapshot (which also sets each queue's batch cap, fill wait and latency budget).
 */
@Component
public class ModelQueues implements QueryQueue, DisposableBean {

  private static final Logger LOG = LoggerFactory.getLogger(ModelQueues.class);

  /** A replica's worker, the sender it sends through and its gauges, closed together. */
  private record Connection(ReplicaWorker worker, BatchSender sender, ReplicaMeters meters) {

    void close() {
      worker.stop();
      sender.close();
      meters.close();
    }
  }

  private final ReplicaConnector connector;
  private final FrontendProperties.Batching settings;
  private final Clock clock;
  private final Scheduler timers;
  private final MeterRegistry meters;
  private final ReplicaBreakers breakers;
  private final Admission admission;
  private final Map<ModelId, BatchQueue> queues = new ConcurrentHashMap<>();
  private final Map<ModelId, ModelMetrics> metrics = new ConcurrentHashMap<>();
  private final Map<String, Connection> connections = new HashMap<>();
  private final Disposable subscription;

  ModelQueues(MetadataRegistry registry, ReplicaConnector connector,
      FrontendProperties properties, Clock clock,
      @Qualifier("batchingScheduler") Scheduler timers, MeterRegistry meters) {
    this.connector = connector;
    this.settings = properties.batching();
    this.clock = clock;
    this.timers = timers;
    this.meters = meters;
    this.breakers = new ReplicaBreakers(settings.circuitBreaker(), clock);
    this.admission = new Admission(properties.admission().enabled(),
        properties.admission().headroomFraction());
    this.subscription = registry.snapshots().subscribe(this::apply);
  }

  @Override
  public CompletableFuture<String> submit(ModelId model, QueryInput input, Instant deadline,
      CallTiming timing) {
    BatchQueue queue = queues.get(model);
    if (queue == null) {
      return CompletableFuture.failedFuture(
          new NoConnectedModelsException("No connected replica of " + model));
    }
    ModelMetrics modelMetrics = metrics.get(model);
    timing.queued(System.nanoTime());
    try {
      CompletableFuture<String> output = queue.offer(input, deadline, clock.instant(), timing)
          .output();
      modelMetrics.admitted();
      return output;
    } catch (QueryFailure refused) {
      timing.queued(0);
      modelMetrics.refused(refused);
      return CompletableFuture.failedFuture(refused);
    }
  }

  /** Queries waiting for {@code model}, for metrics and tests. */
  public int queued(ModelId model) {
    BatchQueue queue = queues.get(model);
    return queue == null ? 0 : queue.size();
  }

  synchronized void apply(MetadataSnapshot snapshot) {
    Set<String> live = new HashSet<>();
    snapshot.upReplicas().forEach((id, replicas) -> {
      Model model = snapshot.model(id).orElse(null);
      for (Replica replica : replicas) {
        QueueSettings queueSettings = queueSettings(snapshot, model, replica);
        BatchQueue queue = queues.computeIfAbsent(id, key -> {
          // its meters first: a query submitted as soon as the queue is seen counts in them
          BatchQueue created = new BatchQueue(key, queueSettings, settings.maxQueuedPerModel(),
              settings.maxAttempts(), admission);
          metrics.put(key, new ModelMetrics(meters, created));
          return created;
        });
        queue.configure(queueSettings);
        String key = replica.key() + "@" + replica.host() + ":" + replica.port();
        live.add(key);
        connections.computeIfAbsent(key, k -> connect(k, replica, queue));
      }
    });
    connections.entrySet().removeIf(entry -> {
      if (live.contains(entry.getKey())) {
        return false;
      }
      LOG.info("Disconnecting replica {}", entry.getKey());
      entry.getValue().close();
      return true;
    });
    queues.keySet().removeIf(id -> {
      if (snapshot.model(id).isPresent() || snapshot.upReplicas().containsKey(id)) {
        return false;
      }
      metrics.remove(id).close();  // a deleted model version: its queue and series go with it
      return true;
    });
  }

  private Connection connect(String key, Replica replica, BatchQueue queue) {
    LOG.info("Connecting replica {}", key);
    BatchSender sender = connector.connect(replica);
    ReplicaWorker worker = new ReplicaWorker(key, queue, sender, clock, timers,
        System::nanoTime, new AdaptiveBatchSizer(settings.increaseStep(),
            settings.backoffFactor()),
        breakers.create(key), metrics.get(queue.model()), settings.maxInFlight());
    worker.start();
    return new Connection(worker, sender, new ReplicaMeters(meters, queue.model().toString(),
        replica.host() + ":" + replica.port(), worker));
  }

  private QueueSettings queueSettings(MetadataSnapshot snapshot, Model model, Replica replica) {
    return new QueueSettings(
        model == null ? replica.inputType() : model.inputType(),
        batchCap(model),
        Duration.ofNanos(model == null ? 0 : model.batchWaitMicros() * 1000L),
        latencyBudget(snapshot, replica.model().name()));
  }

  /** The configured cap, lowered by the model's fixed batch_size when it has one. */
  private int batchCap(Model model) {
    int cap = settings.maxBatchSize();
    return model == null || model.batchSize() <= 0 ? cap : Math.min(cap, model.batchSize());
  }

  /** The budget fraction of the tightest SLO among the apps linked to the model name. */
  private Duration latencyBudget(MetadataSnapshot snapshot, String modelName) {
    long sloMicros = snapshot.apps().values().stream()
        .filter(app -> snapshot.linkedModels(app.name()).contains(modelName))
        .mapToLong(App::latencySloMicros)
        .min()
        .orElse(settings.defaultLatencySlo().toNanos() / 1000L);
    return Duration.ofNanos((long) (sloMicros * 1000L * settings.latencyBudgetFraction()));
  }

  @Override
  public synchronized void destroy() {
    subscription.dispose();
    connections.values().forEach(Connection::close);
    connections.clear();
  }
}
