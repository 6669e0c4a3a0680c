package ai.clipper.frontend.batching;

import ai.clipper.frontend.config.FrontendProperties;
import ai.clipper.frontend.registry.MetadataRegistry;
import ai.clipper.frontend.registry.MetadataSnapshot;
import ai.clipper.frontend.rpc.ReplicaClient;
import ai.clipper.frontend.rpc.ReplicaConnector;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.Replica;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The abstraction layer's entry point: one queue per model version, and one worker with its own
 * gRPC client per UP replica, kept in step with every metadata snapshot.
 */
@Component
public class ModelQueues implements DisposableBean {

  private static final Logger LOG = LoggerFactory.getLogger(ModelQueues.class);

  /** A replica's worker and the client it sends through, closed together. */
  private record Connection(ReplicaWorker worker, ReplicaClient client) {
  }

  private final ReplicaConnector connector;
  private final FrontendProperties.Batching settings;
  private final Clock clock;
  private final Map<ModelId, BatchQueue> queues = new ConcurrentHashMap<>();
  private final Map<String, Connection> connections = new HashMap<>();
  private final Disposable subscription;

  ModelQueues(MetadataRegistry registry, ReplicaConnector connector,
      FrontendProperties properties, Clock clock) {
    this.connector = connector;
    this.settings = properties.batching();
    this.clock = clock;
    this.subscription = registry.snapshots().subscribe(this::apply);
  }

  /**
   * Queues one input for {@code model}; the result completes with the model's output, or fails
   * with {@link NoConnectedModelsException}, {@link OverloadedException},
   * {@link QueryExpiredException} or the replica's error. Cancelling it abandons the query.
   */
  public Mono<String> submit(ModelId model, Object input, Instant deadline) {
    return Mono.defer(() -> {
      BatchQueue queue = queues.get(model);
      if (queue == null) {
        return Mono.error(new NoConnectedModelsException("No connected replica of " + model));
      }
      return Mono.fromFuture(queue.offer(input, deadline).output());
    });
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
        BatchQueue queue = queues.computeIfAbsent(id, key ->
            new BatchQueue(key, replica.inputType(), batchCap(model), settings.maxQueuedPerModel()));
        queue.configure(model == null ? replica.inputType() : model.inputType(), batchCap(model));
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
      entry.getValue().worker().stop();
      entry.getValue().client().close();
      return true;
    });
  }

  private Connection connect(String key, Replica replica, BatchQueue queue) {
    LOG.info("Connecting replica {}", key);
    ReplicaClient client = connector.connect(replica);
    ReplicaWorker worker = new ReplicaWorker(key, queue, client::predict, clock);
    worker.start();
    return new Connection(worker, client);
  }

  /** The configured cap, lowered by the model's fixed batch_size when it has one. */
  private int batchCap(Model model) {
    int cap = settings.maxBatchSize();
    return model == null || model.batchSize() <= 0 ? cap : Math.min(cap, model.batchSize());
  }

  @Override
  public synchronized void destroy() {
    subscription.dispose();
    connections.values().forEach(connection -> {
      connection.worker().stop();
      connection.client().close();
    });
    connections.clear();
  }
}
