package ai.clipper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.clipper.it.HttpJson.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Adaptive batching and replica failover under concurrent load, against launched java-sleep. */
class AdaptiveBatchingIT {

  private static final String QUERY = "{\"input\": [1, 2]}";
  private static final String SLO_MISSED =
      "Failed to retrieve a prediction response within the specified latency SLO";
  /**
   * The SLO under load: generous, because this checks behaviour, not speed, on whatever machine
   * runs it (on a slow 2-core VM the WebFlux echo alone answers c=64 at a p50 of 22 ms); bench/run
   * holds the 20 ms target.
   */
  private static final long LOAD_SLO_MICROS = 100_000;

  @RegisterExtension
  static final ClipperStack stack = ClipperStack.withDefaults();

  /** What one client saw of one query. */
  record Outcome(int status, boolean isDefault, String explanation, long micros) {
  }

  @Test
  void batchesGrowUnderConcurrentLoadAndAnswersStayWithinTheSlo() throws Exception {
    deploy("aimd", LOAD_SLO_MICROS);

    // Unrecorded: the fresh JVMs compile their hot paths and the batch size climbs from 1.
    load("aimd", 16, Duration.ofSeconds(3), () -> { });
    List<Outcome> outcomes = load("aimd", 16, Duration.ofSeconds(4), () -> { });

    long lateMicros = LOAD_SLO_MICROS + 30_000;
    long late = outcomes.stream().filter(o -> o.micros() > lateMicros).count();
    long defaults = outcomes.stream().filter(Outcome::isDefault).count();
    JsonNode batchSize = histogram("model:aimd:1:batch_size");
    System.out.printf("aimd: %d answers, %d defaults %s, %d later than %d us, p50 %d us,"
        + " p99 %d us; batch size %s%n", outcomes.size(), defaults, reasons(outcomes), late,
        lateMicros,
        percentile(outcomes, 0.5), percentile(outcomes, 0.99), batchSize);
    assertThat(outcomes).isNotEmpty().allSatisfy(o -> assertThat(o.status()).isEqualTo(200));
    assertThat(Double.parseDouble(batchSize.path("max").asText())).isGreaterThan(1);
    assertThat(Double.parseDouble(batchSize.path("mean").asText())).isGreaterThan(1);
    // The SLO bounds every answer: a default, never an error, when the model is late. The
    // client's 16 blocking threads share the two cores with the frontend and the model, so a few
    // answers may be read late by the client itself; bench/run measures this without that load
    // (p99 10 ms at c=32).
    assertThat(outcomes).filteredOn(Outcome::isDefault).allSatisfy(o ->
        assertThat(o.explanation()).isEqualTo(SLO_MISSED));
    assertThat(late).isLessThanOrEqualTo(outcomes.size() / 100);
    assertThat(defaults).isLessThanOrEqualTo(outcomes.size() / 10);
    assertThat(stack.queries.get("/actuator/prometheus").body())
        .contains("clipper_batch_size_count{model=\"aimd:1\"}")
        .contains("clipper_replicas_up{model=\"aimd:1\"} 1.0");
  }

  @Test
  void killingOneOfTwoReplicasUnderLoadYieldsNoErrorsOnlyDefaults() throws Exception {
    deploy("twin", 100_000);
    stack.admin.ok("/admin/set_num_replicas",
        "{\"model_name\": \"twin\", \"model_version\": \"1\", \"num_replicas\": 2}");
    await().atMost(Duration.ofSeconds(30)).until(() -> stack.upReplicas("twin", "1") == 2);
    await().atMost(Duration.ofSeconds(5)).until(() -> stack.queries.get("/actuator/prometheus")
        .body().contains("clipper_replicas_up{model=\"twin:1\"} 2.0"));

    List<Outcome> outcomes = load("twin", 8, Duration.ofSeconds(4), () -> {
      ProcessHandle victim = stack.replicaProcesses("twin").get(0);
      victim.destroyForcibly();
    });

    long defaults = outcomes.stream().filter(Outcome::isDefault).count();
    System.out.printf("twin: %d answers, %d defaults %s%n", outcomes.size(), defaults,
        reasons(outcomes));
    assertThat(outcomes).isNotEmpty().allSatisfy(o -> assertThat(o.status()).isEqualTo(200));
    // Defaults only while the killed replica is being taken out; most answers come from models.
    assertThat(defaults).isLessThan(outcomes.size() / 10);
  }

  private static void deploy(String name, long sloMicros) {
    stack.admin.ok("/admin/add_app", """
        {"name": "%s-app", "input_type": "doubles", "default_output": "-1",
         "latency_slo_micros": %d}""".formatted(name, sloMicros));
    stack.admin.ok("/admin/add_model", """
        {"model_name": "%s", "model_version": "1", "labels": [], "input_type": "doubles",
         "container_name": "java-sleep", "model_data_path": "DEPRECATED", "batch_size": -1,
         "batch_wait_micros": 1000}""".formatted(name));
    stack.admin.ok("/admin/add_model_links",
        "{\"app_name\": \"%s-app\", \"model_names\": [\"%s\"]}".formatted(name, name));
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
        !stack.queries.post("/" + name + "-app/predict", QUERY).json().path("default")
            .asBoolean(true));
  }

  /**
   * {@code clients} threads query back to back for {@code duration}; {@code midway} runs once,
   * a quarter of the way in. Bounded in time and so in count.
   */
  private static List<Outcome> load(String name, int clients, Duration duration, Runnable midway)
      throws InterruptedException {
    ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    java.util.concurrent.atomic.AtomicLong inputs = new java.util.concurrent.atomic.AtomicLong();
    long end = System.nanoTime() + duration.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    for (int i = 0; i < clients; i++) {
      pool.submit(() -> {
        while (System.nanoTime() < end) {
          long start = System.nanoTime();
          // A fresh input each time, so the prediction cache cannot answer for the model.
          Answer answer = stack.queries.post("/" + name + "-app/predict",
              "{\"input\": [%d, 2]}".formatted(inputs.incrementAndGet()));
          long micros = (System.nanoTime() - start) / 1000;
          JsonNode json = answer.json();
          outcomes.add(new Outcome(answer.status(),
              json != null && json.path("default").asBoolean(),
              json == null ? answer.body() : json.path("default_explanation").asText(), micros));
        }
      });
    }
    Thread.sleep(duration.toMillis() / 4);
    midway.run();
    pool.shutdown();
    assertThat(pool.awaitTermination(duration.toSeconds() + 30, TimeUnit.SECONDS)).isTrue();
    return new ArrayList<>(outcomes);
  }

  private static java.util.Map<String, Long> reasons(List<Outcome> outcomes) {
    return outcomes.stream().filter(Outcome::isDefault).collect(
        java.util.stream.Collectors.groupingBy(Outcome::explanation,
            java.util.stream.Collectors.counting()));
  }

  private static long percentile(List<Outcome> outcomes, double q) {
    long[] sorted = outcomes.stream().mapToLong(Outcome::micros).sorted().toArray();
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, q * sorted.length)];
  }

  /** One histogram of the frontend's Clipper-shaped {@code GET /metrics}. */
  private static JsonNode histogram(String name) {
    for (JsonNode entry : stack.queries.get("/metrics").json().path("histograms")) {
      if (entry.has(name)) {
        return entry.get(name);
      }
    }
    throw new AssertionError("no histogram " + name);
  }
}
