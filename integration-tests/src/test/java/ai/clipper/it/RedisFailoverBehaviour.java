package ai.clipper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.clipper.it.SteadyLoad.Outcome;
import ai.clipper.metadata.RedisKeys;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a replicated Redis owes the users of a stack on it (the management service and two
 * frontends, a {@code java-sum} model): its master killed under load costs no prediction and no
 * stored metadata, admin writes and change events work again once a replica has taken over, and
 * feedback from two frontends is counted exactly. Each Redis layout runs it ({@link
 * RedisSentinelIT}, {@link RedisClusterIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class RedisFailoverBehaviour {

  /** The default prefix: a hash tag, so the metadata scripts' keys are all on one node. */
  static final String PREFIX = RedisKeys.DEFAULT_PREFIX;
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @RegisterExtension
  final ClipperStack stack = ClipperStack.builder().on(this::startRedis).frontends(2).build();

  /** The Redis under test, started on free ports. */
  abstract ReplicatedRedis startRedis();

  @BeforeAll
  void deployTheApp() {
    stack.admin.ok("/admin/add_app", """
        {"name": "ha", "input_type": "doubles", "default_output": "-1",
         "latency_slo_micros": 1000000}""");
    stack.admin.ok("/admin/set_selection_policy", "{\"app_name\": \"ha\", \"policy\": \"exp3\"}");
    stack.admin.ok("/admin/add_model", """
        {"model_name": "sum", "model_version": "1", "input_type": "doubles",
         "container_name": "java-sum"}""");
    stack.admin.ok("/admin/add_model_links", "{\"app_name\": \"ha\", \"model_names\": [\"sum\"]}");
    for (ServiceProcess frontend : stack.frontends) {
      awaitRealAnswer(frontend, "ha");
    }
  }

  @Test
  @Order(1)
  void aKilledMasterCostsNoPredictionNorMetadataAndWritesAndEventsFollowTheNewMaster()
      throws Exception {
    List<JsonNode> appsBefore = apps();
    JsonNode modelsBefore = stack.admin.ok("/admin/get_all_models", "{}");
    List<SteadyLoad> loads = stack.frontends.stream()
        .map(frontend -> new SteadyLoad(frontend.url() + "/ha/predict", 2)).toList();
    Thread.sleep(2000);

    await().atMost(PATIENCE)
        .until(() -> stack.replicatedRedis.subscribers(PREFIX + "changes") == 2);
    long killedAt = System.nanoTime();
    int killed = stack.replicatedRedis.killMasterOf(PREFIX);
    // An admin write as a user retries it: the first that answers 200 (a 409 says an earlier
    // try was written after all)
    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() ->
        List.of(200, 409).contains(stack.admin.post("/admin/add_app", """
            {"name": "after", "input_type": "doubles", "default_output": "-1",
             "latency_slo_micros": 1000000}""").status()));
    long writtenMillis = (System.nanoTime() - killedAt) / 1_000_000;
    stack.admin.ok("/admin/add_model_links",
        "{\"app_name\": \"after\", \"model_names\": [\"sum\"]}");
    for (ServiceProcess frontend : stack.frontends) {
      awaitRealAnswer(frontend, "after");
    }
    long reachedMillis = (System.nanoTime() - killedAt) / 1_000_000;
    await().atMost(PATIENCE)
        .until(() -> stack.replicatedRedis.subscribers(PREFIX + "changes") == 2);
    long subscribedMillis = (System.nanoTime() - killedAt) / 1_000_000;
    Thread.sleep(2000);
    List<Outcome> outcomes = new ArrayList<>();
    for (SteadyLoad load : loads) {
      load.close();
      outcomes.addAll(load.outcomes());
    }

    System.out.printf("%s: master :%d killed; first admin write after %d ms, the change on both"
            + " frontends after %d ms, both subscribed again after %d ms; %d predictions,"
            + " %d default%n", getClass().getSimpleName(), killed, writtenMillis, reachedMillis,
        subscribedMillis, outcomes.size(), outcomes.stream().filter(Outcome::isDefault).count());
    assertThat(outcomes).hasSizeGreaterThan(100)
        .allSatisfy(o -> assertThat(o.status()).as(o.toString()).isEqualTo(200));
    assertThat(apps()).as("every app with its links and policy, and the new one")
        .containsAll(appsBefore).hasSize(appsBefore.size() + 1);
    assertThat(stack.admin.ok("/admin/get_all_models", "{}")).isEqualTo(modelsBefore);
  }

  @Test
  @Order(2)
  void feedbackFromTwoFrontendsIsCountedExactlyOnceEach() throws Exception {
    int perFrontend = 500;
    List<CompletableFuture<Void>> senders = stack.frontends.stream().map(frontend ->
        CompletableFuture.runAsync(() -> {
          HttpJson queries = new HttpJson(frontend.url());
          IntStream.range(0, perFrontend).forEach(i ->
              queries.ok("/ha/update", "{\"uid\": 7, \"input\": [1, 2], \"label\": 3}"));
        })).toList();
    CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get();

    List<String> state = stack.replicatedRedis.command(PREFIX + "selection:ha:7",
        "HGET", PREFIX + "selection:ha:7", "sum.count");
    assertThat(state).as("the count of model sum in the selection state")
        .containsExactly(Integer.toString(2 * perFrontend));
  }

  /** Every app as the management service reports it, with its links and policy. */
  private List<JsonNode> apps() {
    List<JsonNode> apps = new ArrayList<>();
    stack.admin.ok("/admin/get_all_applications", "{\"verbose\": true}").forEach(apps::add);
    return apps;
  }

  private static void awaitRealAnswer(ServiceProcess frontend, String app) {
    HttpJson queries = new HttpJson(frontend.url());
    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
      HttpJson.Answer answer = queries.post("/" + app + "/predict", "{\"input\": [1, 2]}");
      return answer.status() == 200 && !answer.json().path("default").asBoolean();
    });
  }
}
