package ai.clipper.management.launcher.docker;

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
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The docker launcher against a real engine: replicas of {@code clipper/java-sum} (built by
 * {@code docker/build-images.sh}) answer predictions, scale and are replaced when killed. Skipped,
 * saying why, when no engine answers or the image is missing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DockerLauncherIT {

  private static final String HOST =
      System.getenv().getOrDefault("CLIPPER_TEST_DOCKER_HOST", "unix:///var/run/docker.sock");
  private static final String IMAGE = "clipper/java-sum";
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final ModelId SUM = new ModelId("docker-sum", "1");

  static DockerClient docker;

  @LocalServerPort
  int port;

  @Autowired
  MetadataStore store;

  AdminClient admin;

  @BeforeAll
  static void requireEngineAndImage() {
    docker = DockerLauncher.client(HOST);
    try {
      docker.pingCmd().exec();
    } catch (RuntimeException e) {
      skip("No Docker engine answers at " + HOST + " (" + e + "); start one with"
          + " docker/ci-engine.sh start");
    }
    try {
      docker.inspectImageCmd(IMAGE).exec();
    } catch (NotFoundException e) {
      skip("Image " + IMAGE + " is missing; build it with docker/build-images.sh");
    }
  }

  /** Says why in the build output too: a class-level skip is otherwise reported as 0 tests. */
  private static void skip(String reason) {
    System.err.println("DockerLauncherIT SKIPPED: " + reason);
    Assumptions.abort(reason);
  }

  @AfterAll
  static void closeClient() throws Exception {
    if (docker != null) {
      docker.close();
    }
  }

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add("spring.data.redis.port", TestRedis::port);
    registry.add("clipper.management.redis-prefix", () -> "docker-test:");
    registry.add("clipper.management.launcher.type", () -> "docker");
    registry.add("clipper.management.docker.host", () -> HOST);
    registry.add("clipper.management.process.restart-backoff", () -> "200ms");
    registry.add("clipper.management.process.health-timeout", () -> "60s");
    registry.add("clipper.management.artifacts.dir", () -> System.getProperty("java.io.tmpdir")
        + "/docker-launcher-it-artifacts");
  }

  @BeforeEach
  void addModel() {
    admin = new AdminClient(port);
    Answer added = admin.post("/admin/add_model", "{'model_name':'docker-sum','model_version':'1',"
        + "'input_type':'doubles','container_name':'" + IMAGE + "'}");
    assertThat(added.status()).isEqualTo(200);
  }

  @AfterEach
  void deleteModel() {
    admin.post("/admin/delete_versioned_model", "{'model_name':'docker-sum','model_version':'1'}");
    assertThat(store.replicas(SUM)).isEmpty();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ourContainers())
        .isEmpty());
  }

  @Test
  void startsALabelledContainerThatAnswersPredictionsOnItsPublishedPort() {
    Replica replica = awaitUp(1).get(0);

    assertThat(replica.host()).isEqualTo("127.0.0.1");
    assertThat(ourContainers()).singleElement().satisfies(id -> assertThat(labels(id))
        .containsEntry("ai.clipper.model", "docker-sum").containsEntry("ai.clipper.version", "1")
        .containsEntry("ai.clipper.replica", Integer.toString(replica.replicaId())));
    assertThat(predict(replica, 1.0, 2.0, 3.0)).containsExactly("6");
  }

  @Test
  void servesTheContainersLogAndListsItsPublishedMetricsPort() {
    Replica replica = awaitUp(1).get(0);
    String metricsPort = store.launchInfo(SUM, replica.replicaId()).get("metrics_port");

    Answer logs = admin.get("/admin/get_replica_logs?model_name=docker-sum&model_version=1"
        + "&replica_id=" + replica.replicaId());
    Answer targets = admin.get("/admin/prometheus_targets");

    assertThat(logs.status()).isEqualTo(200);
    assertThat(logs.body().path("lines").valueStream().map(line -> line.asString()))
        .anyMatch(line -> line.contains("Serving model docker-sum:1"));
    assertThat(metricsPort).isNotEqualTo("9464").isNotEqualTo(Integer.toString(replica.port()));
    assertThat(targets.body().valueStream()
        .filter(group -> group.path("labels").path("model").asString().equals("docker-sum"))
        .map(group -> group.path("targets").get(0).asString()))
        .containsExactly("127.0.0.1:" + metricsPort);
  }

  @Test
  void scalesToTwoContainersAndBackToOne() {
    awaitUp(1);

    assertThat(scale(2).status()).isEqualTo(200);
    List<Replica> two = awaitUp(2);
    assertThat(two).extracting(Replica::port).doesNotHaveDuplicates();
    assertThat(ourContainers()).hasSize(2);
    two.forEach(replica -> assertThat(predict(replica, 4.0, 5.0)).containsExactly("9"));

    assertThat(scale(1).status()).isEqualTo(200);
    assertThat(store.replicas(SUM)).extracting(Replica::replicaId)
        .containsExactly(two.get(0).replicaId());
    assertThat(ourContainers()).hasSize(1);
  }

  @Test
  void replacesAKilledContainer() {
    Replica replica = awaitUp(1).get(0);
    String killed = store.launchInfo(SUM, replica.replicaId()).get("container_id");

    docker.killContainerCmd(killed).exec();

    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() ->
        store.replica(SUM, replica.replicaId()).map(r -> r.status() != Replica.Status.UP)
            .orElse(false));
    Replica healed = awaitUp(1).get(0);
    assertThat(healed.replicaId()).isEqualTo(replica.replicaId());
    assertThat(store.launchInfo(SUM, healed.replicaId()).get("container_id")).isNotEqualTo(killed);
    assertThat(predict(healed, 2.5, 2.5)).containsExactly("5");
  }

  @Test
  void anUploadedJarRunsOnTheJavaRuntimeImageWhichFetchesItThroughTheHostGateway()
      throws Exception {
    try {
      docker.inspectImageCmd("clipper/runtime-java").exec();
    } catch (NotFoundException e) {
      Assumptions.abort("Image clipper/runtime-java is missing; docker/build-images.sh builds it");
    }
    // the model class comes with the image's SDK jar; the artifact is a jar beside it
    ByteArrayOutputStream jar = new ByteArrayOutputStream();
    try (JarOutputStream out = new JarOutputStream(jar, new Manifest())) {
      out.putNextEntry(new JarEntry("README"));
      out.write("a model's jar".getBytes());
    }
    HttpResponse<String> uploaded = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/admin/upload_artifact"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(jar.toByteArray())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
    String digest = uploaded.body().replaceAll(".*\"(sha256:[0-9a-f]{64})\".*", "$1");
    ModelId jarModel = new ModelId("docker-jar", "1");
    assertThat(admin.post("/admin/add_model", "{'model_name':'docker-jar','model_version':'1',"
        + "'input_type':'doubles','container_name':'java','model_data_path':'" + digest + "',"
        + "'env':{'MODEL_CLASS':'ai.clipper.examples.SumModel'}}").status()).isEqualTo(200);
    try {
      await().atMost(PATIENCE).untilAsserted(() -> assertThat(store.replicas(jarModel))
          .singleElement().matches(Replica::isUp));
      assertThat(predict(store.replicas(jarModel).get(0), 1.5, 2.0)).containsExactly("3.5");
    } finally {
      admin.post("/admin/delete_versioned_model", "{'model_name':'docker-jar','model_version':'1'}");
    }
  }

  private Answer scale(int replicas) {
    return admin.post("/admin/set_num_replicas",
        "{'model_name':'docker-sum','model_version':'1','num_replicas':" + replicas + "}");
  }

  private List<Replica> awaitUp(int count) {
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(store.replicas(SUM))
        .hasSize(count).allMatch(Replica::isUp));
    return store.replicas(SUM);
  }

  /** The running containers the launcher labelled as replicas of this test's model. */
  private static List<String> ourContainers() {
    return docker.listContainersCmd()
        .withLabelFilter(Map.of("ai.clipper.managed", "true", "ai.clipper.model", "docker-sum"))
        .exec().stream().map(container -> container.getId()).toList();
  }

  private static Map<String, String> labels(String id) {
    return docker.inspectContainerCmd(id).exec().getConfig().getLabels();
  }

  private static List<String> predict(Replica replica, Double... values) {
    ManagedChannel channel = NettyChannelBuilder.forAddress(replica.host(), replica.port())
        .usePlaintext().build();
    try {
      return ModelContainerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .predict(PredictRequest.newBuilder().setDoubles(DoubleBatch.newBuilder()
              .addAllValues(List.of(values)).addLengths(values.length)).build())
          .getOutputsList();
    } finally {
      channel.shutdownNow();
    }
  }
}
