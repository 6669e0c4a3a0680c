package ai.clipper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.clipper.it.HttpJson.Answer;
import ai.clipper.metadata.localredis.LocalRedis;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.DockerComposeContainer;

/**
 * The repo's docker-compose.yml as a user runs it: {@code docker-compose up --build} (the local
 * docker-compose, through Testcontainers) on the base images that {@code docker/build-images.sh}
 * made, then one prediction from the demo app through the published port, with nothing
 * registered by hand. Ports and the network get fresh names so that a stack the user runs is
 * left alone. Skipped, saying why, when no engine answers or docker-compose or the base images
 * are missing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerComposeIT {

  private static final List<String> BASE_IMAGES = List.of("local/debian:bookworm",
      "clipper/java-base");
  private static final Duration PATIENCE = Duration.ofMinutes(3);
  private static final Path SDK = Path.of(System.getProperty("clipper.root", ".."),
      "model-container-sdk", "python").toAbsolutePath().normalize();
  private static final String NETWORK =
      "clipper-it-" + UUID.randomUUID().toString().substring(0, 8);

  private static DockerClient docker;
  private static DockerComposeContainer<?> compose;
  private static HttpJson queries;
  private static HttpJson admin;
  private static HttpJson prometheus;
  private static String adminUrl;

  @BeforeAll
  static void composeUp() {
    requireEngineComposeAndBaseImages();
    int queryPort = LocalRedis.freePort();
    int managementPort = LocalRedis.freePort();
    int prometheusPort = LocalRedis.freePort();
    File file = Path.of(System.getProperty("clipper.root", ".."), "docker-compose.yml").toFile();
    compose = new DockerComposeContainer<>(file)
        .withEnv(Map.of(
            "CLIPPER_QUERY_PORT", Integer.toString(queryPort),
            "CLIPPER_QUERY_GRPC_PORT", Integer.toString(LocalRedis.freePort()),
            "CLIPPER_MANAGEMENT_PORT", Integer.toString(managementPort),
            "CLIPPER_PROMETHEUS_PORT", Integer.toString(prometheusPort),
            "CLIPPER_NETWORK", NETWORK))
        .withPull(false)
        .withBuild(true);
    compose.start();
    queries = new HttpJson("http://127.0.0.1:" + queryPort);
    adminUrl = "http://127.0.0.1:" + managementPort;
    admin = new HttpJson(adminUrl);
    prometheus = new HttpJson("http://127.0.0.1:" + prometheusPort);
  }

  private static void requireEngineComposeAndBaseImages() {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      skip("No Docker engine answers; start one with docker/ci-engine.sh start");
    }
    boolean composeInstalled = Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, "docker-compose")));
    if (!composeInstalled) {
      skip("docker-compose is not on the PATH; apt-get install -y docker-compose");
    }
    docker = DockerClientFactory.instance().client();
    for (String image : BASE_IMAGES) {
      try {
        docker.inspectImageCmd(image).exec();
      } catch (NotFoundException e) {
        skip("Base image " + image + " is missing; build it with docker/build-images.sh");
      }
    }
  }

  /** Says why in the build output too: a class-level skip is otherwise reported as 0 tests. */
  private static void skip(String reason) {
    System.err.println("DockerComposeIT SKIPPED: " + reason);
    Assumptions.abort(reason);
  }

  @AfterAll
  static void composeDown() {
    if (compose != null) {
      compose.stop();
    }
    if (docker != null) { // whatever a failed test left on the network
      modelContainers().forEach(c -> docker.removeContainerCmd(c.getId()).withForce(true).exec());
    }
  }

  /** The model replicas on this stack's network, of every model. */
  private static List<Container> modelContainers() {
    return docker.listContainersCmd().withShowAll(true).withNetworkFilter(List.of(NETWORK))
        .withLabelFilter(Map.of("ai.clipper.managed", "true")).exec();
  }

  @Test
  @Order(1)
  void demoAppAnswersOneCurlAfterComposeUp() {
    awaitAnswer("/demo/predict", "{\"input\": [1, 2, 3]}", answer -> {
      assertThat(answer.get("default").asBoolean()).isFalse();
      assertThat(answer.get("output").asText()).isEqualTo("6");
    });
    // the first answers of a cold stack may still miss the 100 ms SLO on a busy machine
    awaitAnswer("/demo/predict", "{\"input_batch\": [[1], [2, 3]]}", answer -> {
      assertThat(answer.get("batch_predictions").findValuesAsText("default"))
          .containsOnly("false");
      assertThat(answer.get("batch_predictions").findValuesAsText("output"))
          .containsExactly("1", "5");
    });
  }

  /** Predicts until the answer passes; a published port drops connections until it listens. */
  private static void awaitAnswer(String path, String body, Consumer<JsonNode> check) {
    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .untilAsserted(() -> {
          Answer answer = queries.post(path, body);
          assertThat(answer.status()).as(answer.body()).isEqualTo(200);
          check.accept(answer.json());
        });
  }

  @Test
  @Order(2)
  void theModelRunsAsAContainerTheManagementServiceLaunched() {
    List<Container> containers = modelContainers();
    assertThat(containers).singleElement()
        .satisfies(c -> assertThat(c.getImage()).isEqualTo("clipper/java-sum"))
        .satisfies(c -> assertThat(c.getState()).isEqualTo("running"));
    Answer replicas = admin.post("/admin/get_replicas",
        "{\"model_name\": \"sum\", \"model_version\": \"1\"}");
    assertThat(replicas.json()).singleElement().satisfies(replica -> {
      assertThat(replica.get("status").asText()).isEqualTo("UP");
      assertThat("/" + replica.get("host").asText()).isEqualTo(containers.get(0).getNames()[0]);
    });
  }

  @Test
  @Order(3)
  void aPythonModelImageDeployedThroughTheAdminApiAnswersToo() {
    try {
      docker.inspectImageCmd("clipper/python-sum").exec();
    } catch (NotFoundException e) {
      Assumptions.abort("Image clipper/python-sum is missing; docker/build-images.sh builds it");
    }
    admin.ok("/admin/add_app", """
        {"name": "py", "input_type": "doubles", "default_output": "-1",
         "latency_slo_micros": 100000}""");
    admin.ok("/admin/add_model", """
        {"model_name": "pysum", "model_version": "1", "input_type": "doubles",
         "container_name": "clipper/python-sum"}""");
    admin.ok("/admin/add_model_links", "{\"app_name\": \"py\", \"model_names\": [\"pysum\"]}");
    awaitAnswer("/py/predict", "{\"input_batch\": [[1.5, 1], [2, 3]]}", answer ->
        assertThat(answer.get("batch_predictions").findValuesAsText("output"))
            .containsExactly("2.5", "5"));
  }

  @Test
  @Order(4)
  void ownModelsDeployedWithThePythonClientRunOnTheirRuntimeImages() throws IOException {
    for (String image : List.of("clipper/runtime-python-closure", "clipper/runtime-sklearn")) {
      try {
        docker.inspectImageCmd(image).exec();
      } catch (NotFoundException e) {
        Assumptions.abort("Image " + image + " is missing; docker/build-images.sh builds it");
      }
    }
    Assumptions.assumeTrue(Python.canImport("sklearn", "cloudpickle"),
        "skipping: " + Python.INTERPRETER + " cannot import sklearn and cloudpickle");
    Path script = Files.createTempFile("deploy-", ".py");
    Files.writeString(script, """
        import sys
        from clipper_client import ClipperClient
        from sklearn.datasets import load_iris
        from sklearn.linear_model import LogisticRegression
        client = ClipperClient(sys.argv[1])
        X, y = load_iris(return_X_y=True)
        for app in ("own", "iris"):
            client.register_application(app, input_type="doubles", default_output="-1",
                                        slo_micros=1000000)
        client.deploy_python_closure("summer", "1", "doubles",
                                     lambda xs: [str(float(sum(x))) for x in xs])
        client.deploy_model("iris-lr", "1", "doubles", LogisticRegression(max_iter=500).fit(X, y),
                            sample_input=X[0].tolist())
        client.link_model_to_app("own", "summer")
        client.link_model_to_app("iris", "iris-lr")
        """);
    Python.output(300, List.of("env", "PYTHONPATH=" + SDK, Python.INTERPRETER,
        script.toString(), adminUrl));

    awaitAnswer("/own/predict", "{\"input\": [1, 2, 3.5]}", answer ->
        assertThat(answer.get("output").asText()).isEqualTo("6.5"));
    awaitAnswer("/iris/predict", "{\"input\": [5.1, 3.5, 1.4, 0.2]}", answer ->
        assertThat(answer.get("output").asText()).isEqualTo("0"));
    assertThat(modelContainers()).extracting(Container::getImage)
        .contains("clipper/runtime-python-closure", "clipper/runtime-sklearn");
  }

  @Test
  @Order(5)
  void prometheusScrapesTheFrontendsFoundByDockerDnsAndTheManagementService() {
    await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
        .untilAsserted(() -> assertThat(prometheus.get("/api/v1/query?query=up%3D%3D1").json()
            .path("data").path("result").findValuesAsText("job"))
            .contains("clipper-frontend", "clipper-management"));
  }

  @Test
  @Order(6)
  void composeDownStopsTheModelContainersToo() {
    compose.stop();
    compose = null;
    assertThat(modelContainers()).isEmpty();
  }
}
