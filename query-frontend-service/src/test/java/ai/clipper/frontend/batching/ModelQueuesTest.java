package ai.clipper.frontend.batching;

import static ai.clipper.frontend.batching.Fixture.failure;
import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.frontend.MetadataWriter;
import ai.clipper.frontend.TestRedis;
import ai.clipper.frontend.VirtualTime;
import ai.clipper.frontend.batching.Fixture.RecordingSender;
import ai.clipper.frontend.config.FrontendProperties;
import ai.clipper.frontend.input.QueryInput;
import ai.clipper.frontend.metrics.MeterNames;
import ai.clipper.frontend.registry.MetadataRegistry;
import ai.clipper.frontend.registry.MetadataSnapshot;
import ai.clipper.frontend.registry.Registries;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.Replica;
import ai.clipper.sdk.InputType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The batching layer's entry point: a queue per model version and a worker per UP replica, kept
 * in step with each metadata snapshot; the replicas are senders the test answers by hand.
 */
class ModelQueuesTest {

  private static final ModelId M1 = new ModelId("m", "1");
  private static final ModelId M2 = new ModelId("m", "2");

  @RegisterExtension
  static final TestRedis redis = new TestRedis();

  private final VirtualTime time = new VirtualTime();
  private final FakeReplicas replicas = new FakeReplicas();
  private final FrontendProperties properties = properties("clipper.frontend.batching.max-in-flight", "1");
  private final MetadataRegistry registry =
      Registries.on(redis.template(), properties, time.clock());
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final ModelQueues queues = new ModelQueues(registry, replicas, properties, time.clock(),
      time.scheduler(), meters);

  @AfterEach
  void close() {
    queues.destroy();
    registry.stop();
  }

  @Test
  void aQueryForAModelVersionWithNoReplicaFailsAtOnceWithNoConnectedModels() {
    queues.apply(snapshot(Map.of(M1, model(M1, -1)), Map.of(M1, List.of(replica(M1, 7001)))));

    CompletableFuture<String> unknown = submit(M2, 1);

    assertThat(unknown).isCompletedExceptionally();
    assertThat(failure(unknown)).isInstanceOf(NoConnectedModelsException.class)
        .hasMessageContaining("m:2");
  }

  @Test
  void aModelVersionWithAnUpReplicaSendsItsQueriesThereAndAnswersWithTheOutputs() {
    queues.apply(snapshot(Map.of(M1, model(M1, -1)), Map.of(M1, List.of(replica(M1, 7001)))));

    CompletableFuture<String> answer = submit(M1, 3);

    assertThat(replicas.connected).containsExactly(7001);
    assertThat(replicas.sender(7001).inputs(0)).containsExactly(3.0);
    replicas.sender(7001).answer(0, "nine");
    assertThat(answer).isCompletedWithValue("nine");
  }

  @Test
  void eachModelVersionHasItsOwnQueueServedByItsOwnReplicas() {
    queues.apply(snapshot(Map.of(M1, model(M1, -1), M2, model(M2, -1)),
        Map.of(M1, List.of(replica(M1, 7001)), M2, List.of(replica(M2, 7002)))));

    submit(M1, 1);  // in flight at m:1's replica
    submit(M1, 2);
    submit(M2, 3);

    assertThat(replicas.sender(7001).calls).hasSize(1);
    assertThat(replicas.sender(7002).inputs(0)).containsExactly(3.0);
    assertThat(queues.queued(M1)).isEqualTo(1);
    assertThat(queues.queued(M2)).isZero();
  }

  @Test
  void queriesForOneModelThatWaitForTheBatchInFlightGoTogetherInTheNext() {
    queues.apply(snapshot(Map.of(M1, model(M1, -1)), Map.of(M1, List.of(replica(M1, 7001)))));
    RecordingSender replica = replicas.sender(7001);

    submit(M1, 1);
    submit(M1, 2);
    submit(M1, 3);
    assertThat(replica.calls).hasSize(1);
    replica.answer(0, "one");

    assertThat(replica.inputs(1)).containsExactly(2.0, 3.0);
  }

  @Test
  void aModelsFixedBatchSizeCapsItsBatches() {
    queues.apply(snapshot(Map.of(M1, model(M1, 1)), Map.of(M1, List.of(replica(M1, 7001)))));
    RecordingSender replica = replicas.sender(7001);

    submit(M1, 1);
    submit(M1, 2);
    submit(M1, 3);
    replica.answer(0, "one");

    assertThat(replica.inputs(1)).containsExactly(2.0);
  }

  @Test
  void aReplicaInTheNextSnapshotTooIsNotConnectedAgain() {
    MetadataSnapshot snapshot = snapshot(Map.of(M1, model(M1, -1)),
        Map.of(M1, List.of(replica(M1, 7001))));
    queues.apply(snapshot);
    queues.apply(snapshot);

    assertThat(replicas.connected).containsExactly(7001);
    assertThat(replicas.closed).isEmpty();
  }

  @Test
  void aModelVersionDeletedFromTheMetadataLosesItsQueueAndItsSeries() {
    queues.apply(snapshot(Map.of(M1, model(M1, -1), M2, model(M2, -1)),
        Map.of(M1, List.of(replica(M1, 7001)), M2, List.of(replica(M2, 7002)))));
    assertThat(meters.find(MeterNames.QUEUE_DEPTH).tag("model", "m:1").gauge()).isNotNull();

    queues.apply(snapshot(Map.of(M2, model(M2, -1)), Map.of(M2, List.of(replica(M2, 7002)))));

    assertThat(meters.find(MeterNames.QUEUE_DEPTH).tag("model", "m:1").meters()).isEmpty();
    assertThat(meters.find(MeterNames.MODEL_LATENCY).tag("model", "m:1").meters()).isEmpty();
    assertThat(meters.find(MeterNames.QUEUE_DEPTH).tag("model", "m:2").gauge()).isNotNull();
    assertThat(failure(submit(M1, 1))).isInstanceOf(NoConnectedModelsException.class);
  }

  @Test
  void aVersionStillInTheMetadataKeepsItsSeriesWhileNoReplicaIsUp() {
    queues.apply(snapshot(Map.of(M1, model(M1, -1)), Map.of(M1, List.of(replica(M1, 7001)))));

    queues.apply(snapshot(Map.of(M1, model(M1, -1)), Map.of()));

    assertThat(meters.find(MeterNames.REPLICAS_UP).tag("model", "m:1").gauge().value()).isZero();
  }

  @Test
  void aReplicaGoneFromTheSnapshotIsClosedAndItsWaitingQueriesGetNoConnectedModels() {
    queues.apply(snapshot(Map.of(M1, model(M1, -1)), Map.of(M1, List.of(replica(M1, 7001)))));
    CompletableFuture<String> inFlight = submit(M1, 1);
    CompletableFuture<String> waiting = submit(M1, 2);

    queues.apply(snapshot(Map.of(M1, model(M1, -1)), Map.of()));

    assertThat(replicas.closed).containsExactly(7001);
    assertThat(failure(waiting)).isInstanceOf(NoConnectedModelsException.class);
    assertThat(failure(submit(M1, 3))).isInstanceOf(NoConnectedModelsException.class);
    assertThat(queues.queued(M1)).isZero();
    replicas.sender(7001).answer(0, "late but answered");  // a batch in flight still completes
    assertThat(inFlight).isCompletedWithValue("late but answered");
  }

  @Test
  void followsTheReplicasTheRegistryReadsFromRedis() {
    try (MetadataWriter metadata = new MetadataWriter(redis.port())) {
      metadata.addModel(model(M1, -1)).addReplica(replica(M1, 7003)).publish();
      MetadataRegistry live = Registries.on(redis.template(), properties, time.clock());
      live.start();
      ModelQueues following = new ModelQueues(live, replicas, properties, time.clock(),
          time.scheduler(), new SimpleMeterRegistry());
      try {
        CompletableFuture<String> answer = following.submit(M1, input(4), deadline(),
            Fixture.timing());

        assertThat(replicas.connected).containsExactly(7003);
        replicas.sender(7003).answer(0, "sixteen");
        assertThat(answer).isCompletedWithValue("sixteen");
      } finally {
        following.destroy();
        live.stop();
      }
    }
  }

  private CompletableFuture<String> submit(ModelId model, double value) {
    return queues.submit(model, input(value), deadline(), Fixture.timing());
  }

  private Instant deadline() {
    return time.clock().instant().plusSeconds(1);
  }

  private static QueryInput input(double value) {
    return new QueryInput.Doubles(new double[] {value});
  }

  private static MetadataSnapshot snapshot(Map<ModelId, Model> models,
      Map<ModelId, List<Replica>> up) {
    return new MetadataSnapshot(1, Map.of(), Map.of(), Map.of(), models, up);
  }

  private static Model model(ModelId id, int batchSize) {
    return new Model(id, InputType.DOUBLES, List.of(), Model.NO_CONTAINER, "", batchSize, 0, 1,
        Map.of());
  }

  private static Replica replica(ModelId model, int port) {
    return new Replica(model, port, "127.0.0.1", port, InputType.DOUBLES, Replica.Status.UP);
  }

  /** The frontend's defaults, but for {@code overrides} (key, value, key, value...). */
  private static FrontendProperties properties(String... overrides) {
    Map<String, String> settings = new HashMap<>();
    for (int i = 0; i < overrides.length; i += 2) {
      settings.put(overrides[i], overrides[i + 1]);
    }
    return new Binder(new MapConfigurationPropertySource(settings))
        .bindOrCreate("clipper.frontend", FrontendProperties.class);
  }

  /** Replicas by port: a recording sender for each one connected, and which were closed. */
  private static final class FakeReplicas implements ReplicaConnector {

    final List<Integer> connected = new ArrayList<>();
    final List<Integer> closed = new ArrayList<>();
    private final Map<Integer, RecordingSender> senders = new HashMap<>();

    @Override
    public BatchSender connect(Replica replica) {
      RecordingSender recording = new RecordingSender();
      connected.add(replica.port());
      senders.put(replica.port(), recording);
      return new BatchSender() {
        @Override
        public CompletableFuture<BatchAnswer> send(InputType type, List<QueryInput> inputs,
            Instant deadline, List<String> traceparents) {
          return recording.send(type, inputs, deadline, traceparents);
        }

        @Override
        public void close() {
          closed.add(replica.port());
        }
      };
    }

    RecordingSender sender(int port) {
      return senders.get(port);
    }
  }
}
