package ai.clipper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ai.clipper.it.SteadyLoad.Outcome;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Parts of a running stack killed under a steady load, one after another: a model replica, Redis
 * (started again on its port and data), the management service (started again). The clients see
 * only 200s and real answers again within 10 s of each fault, and every app, model, link, replica
 * and selection state is still there. Then a Redis replaced by an empty one: the frontend answers
 * on from its last snapshot and says it is stale until a new change arrives. And a frontend
 * stopped by SIGTERM answers what it has in flight. About two minutes here.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosIT {

  /** Time to heal after each fault before the next: the 10 s a fault may take to heal, and some. */
  private static final Duration BETWEEN_FAULTS = Duration.ofSeconds(12);
  private static final long HEALED_WITHIN_MILLIS = 10_000;

  @RegisterExtension
  static final ClipperStack stack = ClipperStack.withDefaults();

  @Test
  @Order(1)
  void aKilledReplicaRedisAndManagementServiceCostNoErrorAndNoState() throws Exception {
    deploy("chaos", "sum", "twin");
    stack.admin.ok("/admin/set_selection_policy",
        "{\"app_name\": \"chaos\", \"policy\": \"exp3\"}");
    stack.admin.ok("/admin/set_num_replicas",
        "{\"model_name\": \"sum\", \"model_version\": \"1\", \"num_replicas\": 2}");
    await().atMost(Duration.ofSeconds(60)).until(() ->
        stack.upReplicas("sum", "1") == 2 && stack.upReplicas("twin", "1") == 1);
    awaitRealAnswer("chaos");
    for (int i = 0; i < 5; i++) {
      stack.queries.ok("/chaos/update", "{\"uid\": 0, \"input\": [2, 3], \"label\": 5}");
    }
    Map<String, JsonNode> before = selectionCounts();
    Thread.sleep(1500); // Redis fsyncs its append-only file every second

    List<Outcome> outcomes;
    long[] faults = new long[3];
    try (SteadyLoad load = new SteadyLoad(stack.frontend.url() + "/chaos/predict", 4)) {
      Thread.sleep(2000);
      faults[0] = load.millis();
      stack.replicaProcesses("sum").get(0).destroyForcibly();
      Thread.sleep(BETWEEN_FAULTS.toMillis());
      faults[1] = load.millis();
      stack.killAndRestartRedis(Duration.ofSeconds(1));
      Thread.sleep(BETWEEN_FAULTS.toMillis());
      faults[2] = load.millis();
      stack.killAndRestartManagement();
      Thread.sleep(BETWEEN_FAULTS.toMillis());
      load.close();
      outcomes = load.outcomes();
    }

    System.out.printf("chaos: %d answers, %d defaults, faults at %d, %d, %d ms%n",
        outcomes.size(), outcomes.stream().filter(Outcome::isDefault).count(),
        faults[0], faults[1], faults[2]);
    assertThat(outcomes).hasSizeGreaterThan(100)
        .allSatisfy(o -> assertThat(o.status()).as(o.toString()).isEqualTo(200));
    for (long fault : faults) {
      assertThat(outcomes).as("a real answer within 10 s of the fault at %d ms", fault)
          .anyMatch(o -> !o.isDefault() && o.sentMillis() > fault
              && o.sentMillis() <= fault + HEALED_WITHIN_MILLIS);
    }

    assertThat(stack.admin.ok("/admin/get_all_applications", "{}").toString())
        .contains("chaos");
    assertThat(stack.admin.ok("/admin/get_linked_models", "{\"app_name\": \"chaos\"}")
        .toString()).isEqualTo("[\"sum\",\"twin\"]");
    assertThat(stack.admin.ok("/admin/get_application", "{\"name\": \"chaos\"}")
        .path("selection_policy").asText()).isEqualTo("exp3");
    await().atMost(Duration.ofSeconds(30)).until(() ->
        stack.upReplicas("sum", "1") == 2 && stack.upReplicas("twin", "1") == 1);
    assertThat(selectionCounts()).isEqualTo(before);
  }

  @Test
  @Order(2)
  void anEmptyRedisLeavesTheFrontendServingItsLastSnapshotUntilANewChange() throws Exception {
    deploy("kept", "keep");
    await().atMost(Duration.ofSeconds(60)).until(() -> stack.upReplicas("keep", "1") == 1);
    awaitRealAnswer("kept");

    stack.replaceRedisWithAnEmptyOne();

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(metadataHealth(stack.queries)).isEqualTo("STALE");
      assertThat(metadataHealth(stack.admin)).isEqualTo("STALE");
    });
    JsonNode answer = stack.queries.ok("/kept/predict", "{\"input\": [20, 22]}");
    assertThat(answer.get("default").asBoolean()).as(answer.toString()).isFalse();
    assertThat(answer.get("output").asInt()).isEqualTo(42);

    stack.admin.ok("/admin/add_app", """
        {"name": "rebuilt", "input_type": "doubles", "default_output": "-1",
         "latency_slo_micros": 100000}""");

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(stack.queries.post("/rebuilt/predict", "{\"input\": [1]}").status())
          .isEqualTo(200);
      assertThat(metadataHealth(stack.queries)).isEqualTo("UP");
      assertThat(metadataHealth(stack.admin)).isEqualTo("UP");
    });
  }

  /**
   * A rolling restart's one step, tested on one frontend: SIGTERM while queries are in flight.
   * Those are all answered (the model's, well within their SLO), then the process exits and its
   * port refuses connections, which a client or load balancer retries elsewhere; so no query is
   * lost. One frontend rather than two behind a balancer, because the balancer's retry is not ours
   * to test: what the frontend owes it is to answer what it took and then refuse, not reset.
   */
  @Test
  @Order(3)
  void aFrontendStoppedBySigtermAnswersItsQueriesInFlightThenRefusesConnections()
      throws Exception {
    deployModel("draining", "slow", "java-sleep", "{\"SLEEP_FIXED_MS\": \"300\"}", 5_000_000);
    await().atMost(Duration.ofSeconds(60)).until(() -> stack.upReplicas("slow", "1") == 1);
    ServiceProcess frontend = stack.startFrontend();
    HttpJson queries = new HttpJson(frontend.url());
    await().atMost(Duration.ofSeconds(30)).until(() ->
        !queries.ok("/draining/predict", "{\"input\": [1]}").path("default").asBoolean());

    List<java.util.concurrent.CompletableFuture<HttpJson.Answer>> inFlight =
        java.util.stream.IntStream.range(0, 8).mapToObj(i ->
            java.util.concurrent.CompletableFuture.supplyAsync(() ->
                queries.post("/draining/predict", "{\"input\": [%d, 1]}".formatted(i))))
            .toList();
    Thread.sleep(150); // sent, and waiting for the 300 ms model
    frontend.process().destroy(); // SIGTERM

    for (int i = 0; i < inFlight.size(); i++) {
      HttpJson.Answer answer = inFlight.get(i).get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
      assertThat(answer.json().path("default").asBoolean()).as(answer.body()).isFalse();
      assertThat(answer.json().path("output").asInt()).isEqualTo(i + 1);
    }
    assertThat(frontend.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", frontend.port()).close())
        .isInstanceOf(java.net.ConnectException.class);
  }

  private static void deploy(String app, String... models) {
    for (String model : models) {
      deployModel(app, model, "java-sum", "{}", 1_000_000);
    }
  }

  /** The app (unless it exists), the model run by {@code container}, and their link. */
  private static void deployModel(String app, String model, String container, String env,
      long sloMicros) {
    if (stack.admin.post("/admin/get_application", "{\"name\": \"%s\"}".formatted(app))
        .json().isEmpty()) {
      stack.admin.ok("/admin/add_app", """
          {"name": "%s", "input_type": "doubles", "default_output": "-1",
           "latency_slo_micros": %d}""".formatted(app, sloMicros));
    }
    stack.admin.ok("/admin/add_model", """
        {"model_name": "%s", "model_version": "1", "input_type": "doubles",
         "container_name": "%s", "env": %s}""".formatted(model, container, env));
    stack.admin.ok("/admin/add_model_links",
        "{\"app_name\": \"%s\", \"model_names\": [\"%s\"]}".formatted(app, model));
  }

  private static void awaitRealAnswer(String app) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
        !stack.queries.ok("/" + app + "/predict", "{\"input\": [1]}").path("default")
            .asBoolean());
  }

  /** The feedback count of each linked model in the state of (chaos, uid 0). */
  private static Map<String, JsonNode> selectionCounts() {
    JsonNode models = stack.queries.get("/chaos/selection?uid=0").json().path("models");
    Map<String, JsonNode> counts = new LinkedHashMap<>();
    models.fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().path("count")));
    assertThat(counts).as(models.toString()).hasSize(2)
        .allSatisfy((model, count) -> assertThat(count.asInt()).isEqualTo(5));
    return counts;
  }

  private static String metadataHealth(HttpJson service) {
    return service.get("/actuator/health").json().path("components").path("metadata")
        .path("status").asText();
  }
}
