package ai.clipper.management.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.clipper.management.AdminClient;
import ai.clipper.management.AdminClient.Answer;
import ai.clipper.management.TestRedis;
import ai.clipper.management.metadata.MetadataStore;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.Replica;
import ai.clipper.sdk.proto.DoubleBatch;
import ai.clipper.sdk.proto.ModelContainerGrpc;
import ai.clipper.sdk.proto.PredictRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The process launcher runs real container processes, scales them and heals crashes. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProcessReplicasIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final ModelId SUM = new ModelId("sum", "1");
  private static final String ZIPKIN = "http://127.0.0.1:9411/api/v2/spans";

  @LocalServerPort
  int port;

  @Autowired
  MetadataStore store;

  AdminClient admin;

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add("spring.data.redis.port", TestRedis::port);
    registry.add("clipper.management.redis-prefix", () -> "launch-test:");
    registry.add("clipper.management.process.models-root", ProcessReplicasIT::modelsRoot);
    registry.add("clipper.management.process.restart-backoff", () -> "200ms");
    registry.add("clipper.management.containers.tracing.zipkin-endpoint", () -> ZIPKIN);
  }

  /** A models root with one folder, {@code test-sum}, whose run script starts SumTestModel. */
  static String modelsRoot() {
    try {
      Path root = Files.createTempDirectory("models-root");
      Path run = Files.createDirectories(root.resolve("test-sum")).resolve("run");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Files.writeString(run, "#!/bin/sh\nexec '" + java + "' -Xmx64m -XX:+UseSerialGC"
          + " -XX:TieredStopAtLevel=1 -cp '" + System.getProperty("java.class.path") + "'"
          + " ai.clipper.sdk.ModelContainerMain " + SumTestModel.class.getName() + "\n");
      Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path broken = Files.createDirectories(root.resolve("broken")).resolve("run");
      Files.writeString(broken, "#!/bin/sh\necho 'Cannot load the model: boom' >&2\nexit 1\n");
      Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwxr-xr-x"));
      return root.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeEach
  void addModel() {
    admin = new AdminClient(port);
    Answer added = admin.post("/admin/add_model", "{'model_name':'sum','model_version':'1',"
        + "'input_type':'doubles','container_name':'test-sum','env':{'GREETING':'hi'}}");
    assertThat(added.status()).isEqualTo(200);
  }

  @AfterEach
  void deleteModel() {
    List<Long> pids = pids();
    admin.post("/admin/delete_versioned_model", "{'model_name':'sum','model_version':'1'}");
    assertThat(store.replicas(SUM)).isEmpty();
    pids.forEach(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
  }

  @Test
  void startsAReplicaThatAnswersPredictionsOnceUp() {
    Replica replica = awaitUp(1).get(0);

    try (Channel channel = new Channel(replica)) {
      List<String> outputs = ModelContainerGrpc.newBlockingStub(channel.channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .predict(PredictRequest.newBuilder().setDoubles(DoubleBatch.newBuilder()
              .addAllValues(List.of(1.0, 2.0, 3.0)).addLengths(3)).build())
          .getOutputsList();
      assertThat(outputs).containsExactly("6.0");
    }
  }

  @Test
  void servesTheLastLinesAReplicaWrote() {
    Replica replica = awaitUp(1).get(0);
    String query = "/admin/get_replica_logs?model_name=sum&model_version=1&replica_id="
        + replica.replicaId();

    Answer logs = admin.get(query + "&tail=200");

    assertThat(logs.status()).isEqualTo(200);
    assertThat(logs.body().path("model_id").asString()).isEqualTo("sum:1");
    assertThat(logs.body().path("model_replica_id").asInt()).isEqualTo(replica.replicaId());
    assertThat(logs.body().path("lines").valueStream().map(line -> line.asString()))
        .anyMatch(line -> line.contains("Serving model sum:1"));
    assertThat(admin.get(query + "&tail=1").body().path("lines").size()).isEqualTo(1);
  }

  @Test
  void handsTheReplicaItsMetricsPortAndWhereToSendSpans() throws IOException {
    Replica replica = awaitUp(1).get(0);
    Map<String, String> launch = store.launchInfo(SUM, replica.replicaId());

    List<String> env = List.of(Files.readString(
        Path.of("/proc", launch.get("pid"), "environ")).split("\0"));

    assertThat(launch.get("metrics_port")).isNotEqualTo(Integer.toString(replica.port()));
    assertThat(env).contains("CLIPPER_METRICS_PORT=" + launch.get("metrics_port"),
        "OTEL_SERVICE_NAME=clipper-model-sum", "OTEL_TRACES_EXPORTER=zipkin",
        "OTEL_EXPORTER_ZIPKIN_ENDPOINT=" + ZIPKIN);
  }

  @Test
  void listsTheReplicasMetricsAddressForPrometheus() {
    Replica replica = awaitUp(1).get(0);
    String metricsPort = store.launchInfo(SUM, replica.replicaId()).get("metrics_port");

    Answer targets = admin.get("/admin/prometheus_targets");

    assertThat(targets.status()).isEqualTo(200);
    assertThat(targets.body().valueStream()
        .filter(group -> group.path("labels").path("model").asString().equals("sum")))
        .singleElement().satisfies(group -> {
          assertThat(group.path("targets").get(0).asString())
              .isEqualTo("127.0.0.1:" + metricsPort);
          assertThat(group.path("labels").path("version").asString()).isEqualTo("1");
          assertThat(group.path("labels").path("replica").asString())
              .isEqualTo(Integer.toString(replica.replicaId()));
          assertThat(group.path("labels").path("job").asString()).isEqualTo("clipper-model");
        });
  }

  @Test
  void saysWhatAReplicaThatExitedWroteLast() {
    assertThat(admin.post("/admin/add_model", "{'model_name':'broken','model_version':'1',"
        + "'input_type':'doubles','container_name':'broken'}").status()).isEqualTo(200);
    try {
      await().atMost(PATIENCE).untilAsserted(() -> assertThat(admin.post("/admin/get_replicas",
          "{'model_name':'broken','model_version':'1'}").body().get(0).path("last_exit")
          .asString()).contains("Cannot load the model: boom"));
    } finally {
      admin.post("/admin/delete_versioned_model", "{'model_name':'broken','model_version':'1'}");
    }
  }

  @Test
  void scalesFromOneToTwoAndBackToOne() {
    awaitUp(1);

    assertThat(scale(2).status()).isEqualTo(200);
    List<Replica> two = awaitUp(2);
    assertThat(two).extracting(Replica::port).doesNotHaveDuplicates();

    Answer down = scale(1);
    assertThat(down.message()).isEqualTo(
        "Successfully set the number of replicas of model with name 'sum' and version '1' to 1");
    assertThat(store.replicas(SUM)).extracting(Replica::replicaId)
        .containsExactly(two.get(0).replicaId());
    assertThat(pids()).hasSize(1);
    assertThat(store.model(SUM).orElseThrow().numReplicas()).isEqualTo(1);
  }

  @Test
  void marksAKilledReplicaDownAndRestartsIt() {
    Replica replica = awaitUp(1).get(0);
    long pid = pids().get(0);

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();

    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() ->
        store.replica(SUM, replica.replicaId()).map(r -> r.status() != Replica.Status.UP)
            .orElse(false));
    List<Replica> healed = awaitUp(1);
    assertThat(healed.get(0).replicaId()).isEqualTo(replica.replicaId());
    assertThat(pids()).doesNotContain(pid);
  }

  private Answer scale(int replicas) {
    return admin.post("/admin/set_num_replicas",
        "{'model_name':'sum','model_version':'1','num_replicas':" + replicas + "}");
  }

  private List<Replica> awaitUp(int count) {
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(store.replicas(SUM))
        .hasSize(count).allMatch(Replica::isUp));
    return store.replicas(SUM);
  }

  private List<Long> pids() {
    return store.replicas(SUM).stream()
        .map(r -> Long.parseLong(store.launchInfo(SUM, r.replicaId()).get("pid")))
        .toList();
  }

  /** A plaintext gRPC channel to a replica, closed after the test. */
  private static final class Channel implements AutoCloseable {

    final ManagedChannel channel;

    Channel(Replica replica) {
      channel = NettyChannelBuilder.forAddress(replica.host(), replica.port()).usePlaintext()
          .build();
    }

    @Override
    public void close() {
      channel.shutdownNow();
    }
  }
}
