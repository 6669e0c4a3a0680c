package ai.clipper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.clipper.it.HttpJson.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The selection layer simulated through the real frontend and real model processes:
 * {@code java-noisy} models that answer the right label ({@code x[0] > 0 ? 1 : 0}) with a chosen
 * probability, fed back the right label through {@code /update}.
 */
class SelectionIT {

  private static final int CONCURRENCY = 16;
  private static final AtomicLong INPUT_IDS = new AtomicLong();

  @RegisterExtension
  static final ClipperStack stack = ClipperStack.withDefaults();
  private static ExecutorService pool;

  @BeforeAll
  static void deployTheModels() {
    pool = Executors.newFixedThreadPool(CONCURRENCY);
    noisy("good", "0.9", "1");
    noisy("coin-a", "0.5", "2");
    noisy("coin-b", "0.5", "3");
    noisy("bad", "0.1", "4");
    stack.admin.ok("/admin/add_model", """
        {"model_name": "slow", "model_version": "1", "input_type": "doubles",
         "container_name": "java-sleep", "env": {"SLEEP_FIXED_MS": "1000"}}""");
    for (String model : List.of("good", "coin-a", "coin-b", "bad", "slow")) {
      await().atMost(Duration.ofSeconds(60)).until(() -> stack.upReplicas(model, "1") == 1);
    }
  }

  @AfterAll
  static void stopThePool() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  @Test
  void exp3LearnsToServeTheModelThatIsRightMostOften() {
    app("exp3-app", 1_000_000, "exp3", "{}", "good", "coin-a", "coin-b");

    train(stack.queries, "exp3-app", 0, 2000);
    double share = servedShare(stack.queries, "exp3-app", 0, 500, "good:1");

    System.out.printf("exp3: good model served %.1f%% of 500 queries after 2000 rounds%n",
        share * 100);
    assertThat(share).isGreaterThanOrEqualTo(0.85);
    String metrics = stack.queries.get("/actuator/prometheus").body();
    assertThat(metrics).containsPattern(
        "clipper_selections_total\\{app=\"exp3-app\",model=\"good:1\"[^}]*} [1-9]");
    assertThat(metrics).containsPattern(
        "clipper_feedback_total\\{app=\"exp3-app\",model=\"coin-a:1\"[^}]*} [1-9]");
  }

  @Test
  void exp4WeighsTheBestModelMostAndIsAtLeastAsAccurateAsIt() {
    app("exp4-app", 1_000_000, "exp4", "{}", "good", "coin-a", "coin-b");

    train(stack.queries, "exp4-app", 0, 2000);
    JsonNode weights = stack.queries.get("/exp4-app/selection?uid=0").json().get("models");
    double good = weights.get("good:1").get("weight").asDouble();
    assertThat(good).isGreaterThan(weights.get("coin-a:1").get("weight").asDouble())
        .isGreaterThan(weights.get("coin-b:1").get("weight").asDouble());

    // Score the ensemble and each model on 500 fresh inputs; /update tells each model's loss.
    List<double[]> scores = rounds(500, i -> {
      double[] input = freshInput();
      int truth = input[0] > 0 ? 1 : 0;
      JsonNode answer = stack.queries.ok("/exp4-app/predict", body(input, 0, null));
      assertThat(answer.get("models")).hasSize(3);
      assertThat(answer.get("partial").asBoolean()).isFalse();
      JsonNode losses = stack.queries.ok("/exp4-app/update", body(input, 0, truth)).get("losses");
      return new double[] {answer.get("output").asInt() == truth ? 1 : 0,
          1 - losses.get("good:1").asDouble(), 1 - losses.get("coin-a:1").asDouble(),
          1 - losses.get("coin-b:1").asDouble()};
    });
    double[] accuracy = new double[4];
    scores.forEach(s -> {
      for (int k = 0; k < 4; k++) {
        accuracy[k] += s[k] / scores.size();
      }
    });
    double bestSingle = Math.max(accuracy[1], Math.max(accuracy[2], accuracy[3]));
    System.out.printf("exp4: weight of good %.4f; accuracy ensemble %.3f, good %.3f, coin-a %.3f,"
        + " coin-b %.3f%n", good, accuracy[0], accuracy[1], accuracy[2], accuracy[3]);
    assertThat(accuracy[0]).isGreaterThanOrEqualTo(bestSingle - 0.02);
  }

  @Test
  void eachUidLearnsItsOwnBestModel() {
    app("personal-app", 1_000_000, "exp3", "{}", "good", "bad", "coin-a");

    // uid 1's labels are the truth (good is right 90%); uid 2's are flipped (bad is right 90%)
    rounds(1200, i -> {
      int uid = 1 + i % 2;
      double[] input = freshInput();
      int truth = input[0] > 0 ? 1 : 0;
      stack.queries.ok("/personal-app/predict", body(input, uid, null));
      stack.queries.ok("/personal-app/update", body(input, uid, uid == 1 ? truth : 1 - truth));
      return null;
    });
    double uid1 = servedShare(stack.queries, "personal-app", 1, 200, "good:1");
    double uid2 = servedShare(stack.queries, "personal-app", 2, 200, "bad:1");

    System.out.printf("personal: uid 1 served by good %.1f%%, uid 2 by bad %.1f%%%n",
        uid1 * 100, uid2 * 100);
    assertThat(uid1).isGreaterThanOrEqualTo(0.85);
    assertThat(uid2).isGreaterThanOrEqualTo(0.85);
  }

  @Test
  void twoFrontendsShareTheLearnedStateAndARestartKeepsIt() throws Exception {
    app("shared-app", 1_000_000, "exp3", "{}", "good", "coin-a");
    ServiceProcess second = stack.startFrontend();
    HttpJson other = new HttpJson(second.url());
    awaitModelAnswer(other, "shared-app");

    // feedback split between the two frontends, all at once
    rounds(400, i -> {
      double[] input = freshInput();
      (i % 2 == 0 ? stack.queries : other).ok("/shared-app/update",
          body(input, 0, input[0] > 0 ? 1 : 0));
      return null;
    });
    JsonNode first = stack.queries.get("/shared-app/selection").json().get("models");
    JsonNode seen = other.get("/shared-app/selection").json().get("models");
    second.close();

    assertThat(seen).isEqualTo(first);
    assertThat(first.get("good:1").get("count").asLong()).isEqualTo(400);
    assertThat(first.get("coin-a:1").get("count").asLong()).isEqualTo(400);

    ServiceProcess restarted = stack.startFrontend();
    try {
      HttpJson again = new HttpJson(restarted.url());
      awaitModelAnswer(again, "shared-app");
      assertThat(again.get("/shared-app/selection").json().get("models")).isEqualTo(first);
      assertThat(servedShare(again, "shared-app", 0, 100, "good:1")).isGreaterThan(0.85);
    } finally {
      restarted.close();
    }
  }

  @Test
  void aSlowModelInAnEnsembleLeavesAPartialAnswerWithinTheSlo() {
    app("partial-app", 300_000, "exp4", "{}", "good", "slow");

    for (int i = 0; i < 10; i++) {
      double[] input = freshInput();
      JsonNode answer = stack.queries.ok("/partial-app/predict", body(input, 0, null));

      assertThat(answer.get("default").asBoolean()).as(answer.toString()).isFalse();
      assertThat(answer.get("partial").asBoolean()).isTrue();
      assertThat(answer.get("models").toString()).isEqualTo("[\"good:1\"]");
      assertThat(answer.get("missing_models").toString()).isEqualTo("[\"slow:1\"]");
    }
    // At the SLO, not when the slow model (1 s) answers: the frontend's own measure, so the
    // client's threads waiting for a core on a loaded machine do not count.
    assertThat(stack.slowestAnswer("partial-app")).isLessThan(Duration.ofMillis(1000));
  }

  // ---- simulation

  /** Predict then update with the right label, {@code n} times, {@link #CONCURRENCY} at once. */
  private static void train(HttpJson frontend, String app, int uid, int n) {
    rounds(n, i -> {
      double[] input = freshInput();
      JsonNode answer = frontend.ok("/" + app + "/predict", body(input, uid, null));
      assertThat(answer.get("default").asBoolean()).as(answer.toString()).isFalse();
      frontend.ok("/" + app + "/update", body(input, uid, input[0] > 0 ? 1 : 0));
      return null;
    });
  }

  /** The share of {@code n} fresh queries that {@code model} answered. */
  private static double servedShare(HttpJson frontend, String app, int uid, int n,
      String model) {
    List<Boolean> served = rounds(n, i -> model.equals(
        frontend.ok("/" + app + "/predict", body(freshInput(), uid, null)).path("model").asText()));
    return served.stream().filter(b -> b).count() / (double) n;
  }

  private static <T> List<T> rounds(int n, IntFunction<T> round) {
    List<Future<T>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int index = i;
      futures.add(pool.submit(() -> round.apply(index)));
    }
    List<T> results = new ArrayList<>();
    for (Future<T> future : futures) {
      try {
        results.add(future.get());
      } catch (Exception e) {
        throw new AssertionError(e.getCause() != null ? e.getCause() : e);
      }
    }
    return results;
  }

  /** An input never sent before: x in (-1, 1) (the truth is x > 0) and a unique id. */
  private static double[] freshInput() {
    long id = INPUT_IDS.incrementAndGet();
    double x = new Random(id * 7919).nextDouble() * 2 - 1;
    return new double[] {x == 0 ? 0.5 : x, id};
  }

  private static String body(double[] input, int uid, Integer label) {
    return "{\"uid\": %d, \"input\": [%s, %s]%s}".formatted(uid, input[0], input[1],
        label == null ? "" : ", \"label\": " + label);
  }

  // ---- setup

  private static void noisy(String model, String accuracy, String seed) {
    stack.admin.ok("/admin/add_model", """
        {"model_name": "%s", "model_version": "1", "input_type": "doubles",
         "container_name": "java-noisy", "env": {"ACCURACY": "%s", "SEED": "%s"}}"""
        .formatted(model, accuracy, seed));
  }

  private static void app(String app, long sloMicros, String policy, String params,
      String... models) {
    stack.admin.ok("/admin/add_app", """
        {"name": "%s", "input_type": "doubles", "default_output": "-1",
         "latency_slo_micros": %d}""".formatted(app, sloMicros));
    stack.admin.ok("/admin/add_model_links", "{\"app_name\": \"%s\", \"model_names\": [%s]}"
        .formatted(app, String.join(", ", List.of(models).stream()
            .map(m -> "\"" + m + "\"").toList())));
    stack.admin.ok("/admin/set_selection_policy",
        "{\"app_name\": \"%s\", \"policy\": \"%s\", \"params\": %s}".formatted(app, policy,
            params));
    // the policy is applied once answers show it (an ensemble names its models)
    awaitModelAnswer(stack.queries, app, "exp4".equals(policy) ? "models" : "model");
  }

  /** Waits until the frontend knows the app, its policy and its models. */
  private static void awaitModelAnswer(HttpJson frontend, String app) {
    awaitModelAnswer(frontend, app, "model");
  }

  private static void awaitModelAnswer(HttpJson frontend, String app, String field) {
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(
        () -> {
          Answer answer = frontend.post("/" + app + "/predict", body(freshInput(), 0, null));
          assertThat(answer.status()).as(answer.body()).isEqualTo(200);
          assertThat(answer.json().has(field)).as(answer.body()).isTrue();
        });
  }
}
