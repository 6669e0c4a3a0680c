package ai.clipper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.clipper.it.HttpJson.Answer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A model driven at about ten times what it can serve: java-sleep taking 20 ms a query with a
 * fixed batch size of 1 (at most 50 answers a second), asked 500 times a second through an app
 * with a 100 ms SLO. Admission control answers the excess at once, so the client sees only 200s
 * (or, for an app that opts for it, 503s with Retry-After), real answers keep coming at a steady
 * rate, and no answer leaves after the SLO plus a slack for a shared 2-core machine.
 */
class OverloadIT {

  private static final long SLO_MICROS = 100_000;
  /** The client's own threads, the frontend and the model share two cores: a generous slack. */
  private static final long SLACK_MICROS = 250_000;
  private static final Duration LOAD = Duration.ofSeconds(6);

  @RegisterExtension
  static final ClipperStack stack = ClipperStack.withDefaults();

  /** What the client saw of one query, and when it was sent (ms into the load). */
  record Outcome(int status, boolean isDefault, String retryAfter, long micros, long sentMillis) {
  }

  @BeforeAll
  static void deployTheApps() {
    stack.admin.ok("/admin/add_model", """
        {"model_name": "slow", "model_version": "1", "input_type": "doubles",
         "container_name": "java-sleep", "batch_size": 1,
         "env": {"SLEEP_FIXED_MS": "20", "SLEEP_PER_ITEM_MS": "0"}}""");
    for (String overload : List.of("default", "reject")) {
      stack.admin.ok("/admin/add_app", """
          {"name": "%s", "input_type": "doubles", "default_output": "-1",
           "latency_slo_micros": %d, "cache_enabled": false, "overload": "%s"}"""
          .formatted(overload, SLO_MICROS, overload));
      stack.admin.ok("/admin/add_model_links",
          "{\"app_name\": \"%s\", \"model_names\": [\"slow\"]}".formatted(overload));
    }
    // A fast model for the closed-loop flood: 2 ms a query, batch size 1.
    stack.admin.ok("/admin/add_model", """
        {"model_name": "quick", "model_version": "1", "input_type": "doubles",
         "container_name": "java-sleep", "batch_size": 1,
         "env": {"SLEEP_FIXED_MS": "2", "SLEEP_PER_ITEM_MS": "0"}}""");
    stack.admin.ok("/admin/add_app", """
        {"name": "flood", "input_type": "doubles", "default_output": "-1",
         "latency_slo_micros": 50000, "cache_enabled": false}""");
    stack.admin.ok("/admin/add_model_links",
        "{\"app_name\": \"flood\", \"model_names\": [\"quick\"]}");
    for (String app : List.of("default", "flood")) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
          !stack.queries.post("/" + app + "/predict", "{\"input\": [0]}").json()
              .path("default").asBoolean(true));
    }
  }

  @Test
  void anAppOverItsModelsCapacityGetsOnlyAnswersOnTimeAndRealOnesAtASteadyRate()
      throws Exception {
    drive("default", Duration.ofSeconds(2));  // unrecorded: the JVMs compile their hot paths
    List<Outcome> outcomes = drive("default", LOAD);

    Map<Long, Long> realPerSecond = realAnswersPerSecond(outcomes);
    long late = outcomes.stream().filter(o -> o.micros() > SLO_MICROS + SLACK_MICROS).count();
    System.out.printf("overload/default: %d answers, real per second %s, %d later than %d us,"
        + " max %d us%n", outcomes.size(), realPerSecond, late, SLO_MICROS + SLACK_MICROS,
        outcomes.stream().mapToLong(Outcome::micros).max().orElse(0));
    assertThat(outcomes).hasSizeGreaterThan(1000)
        .allSatisfy(o -> assertThat(o.status()).isEqualTo(200));
    assertThat(late).isZero();
    // The model serves at most 50 a second; every second of the load gets a share of them.
    assertThat(realPerSecond).hasSize((int) LOAD.toSeconds())
        .allSatisfy((second, real) -> assertThat(real).isGreaterThanOrEqualTo(10));
    assertThat(outcomes.stream().filter(o -> !o.isDefault()).count())
        .isGreaterThan(15 * LOAD.toSeconds());
  }

  @Test
  void anAppThatOptsForRejectionGetsA503WithRetryAfterInsteadOfTheDefault() throws Exception {
    List<Outcome> outcomes = drive("reject", Duration.ofSeconds(3));

    Map<Integer, Long> statuses = outcomes.stream()
        .collect(Collectors.groupingBy(Outcome::status, TreeMap::new, Collectors.counting()));
    System.out.printf("overload/reject: statuses %s%n", statuses);
    assertThat(statuses.keySet()).containsExactly(200, 503);
    assertThat(outcomes).filteredOn(o -> o.status() == 503)
        .allSatisfy(o -> assertThat(o.retryAfter()).isNotBlank());
    // A 200 is the model's answer, or, when an admitted query's answer still came too late (the
    // model's latency varies), the default at the SLO: never a shed query's default.
    long answered = outcomes.stream().filter(o -> o.status() == 200).count();
    long defaults = outcomes.stream().filter(o -> o.status() == 200 && o.isDefault()).count();
    System.out.printf("overload/reject: %d of %d 200s are defaults%n", defaults, answered);
    assertThat(defaults).isLessThanOrEqualTo(answered / 4);
    assertThat(outcomes.stream().filter(o -> o.micros() > SLO_MICROS + SLACK_MICROS)).isEmpty();
  }

  /**
   * A closed loop of many connections, each sending its next query the moment the last is
   * answered (as wrk does), far above what the model serves: most answers are instant defaults,
   * which bring the next query at once. Admission must keep feeding the model all the same: the
   * real answers per second, counted by the frontend, stay near what the model serves to two
   * clients alone.
   */
  @Test
  void aClosedLoopFloodFarAboveCapacityKeepsRealAnswersNearTheModelsRate() throws Exception {
    closedLoop("flood", 2, Duration.ofSeconds(2));  // unrecorded: the JVMs compile their hot paths
    double alone = realPerSecond("flood", () -> closedLoop("flood", 2, Duration.ofSeconds(3)));
    closedLoop("flood", 128, Duration.ofSeconds(2));
    long[] answered = new long[1];
    double flooded = realPerSecond("flood",
        () -> answered[0] = closedLoop("flood", 128, Duration.ofSeconds(5)));

    System.out.printf("overload/flood: %.0f real answers/s alone, %.0f during the flood of %d"
        + " answers/s%n", alone, flooded, answered[0] / 5);
    assertThat(answered[0] / 5.0).isGreaterThan(3 * flooded);  // far above capacity
    assertThat(flooded).isGreaterThan(0.5 * alone);
  }

  /** Real (non-default) answers per second of {@code app} while {@code load} runs. */
  private static double realPerSecond(String app, Load load) throws Exception {
    double before = realAnswers(app);
    long start = System.nanoTime();
    load.run();
    return (realAnswers(app) - before) * 1e9 / (System.nanoTime() - start);
  }

  private interface Load {
    void run() throws Exception;
  }

  private static double realAnswers(String app) {
    String metric = "clipper_predictions_total{app=\"" + app + "\",default=\"false\"} ";
    return stack.queries.get("/actuator/prometheus").body().lines()
        .filter(line -> line.startsWith(metric))
        .mapToDouble(line -> Double.parseDouble(line.substring(metric.length()).trim()))
        .sum();
  }

  /** {@code connections} clients in a closed loop for {@code duration}; the answers they got. */
  private static long closedLoop(String app, int connections, Duration duration)
      throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create(stack.frontend.url() + "/" + app + "/predict");
    AtomicLong answers = new AtomicLong();
    long end = System.nanoTime() + duration.toNanos();
    CountDownLatch done = new CountDownLatch(connections);
    for (int i = 0; i < connections; i++) {
      next(http, uri, answers, end, done);
    }
    assertThat(done.await(duration.toSeconds() + 30, TimeUnit.SECONDS)).isTrue();
    return answers.get();
  }

  private static void next(HttpClient http, URI uri, AtomicLong answers, long end,
      CountDownLatch done) {
    if (System.nanoTime() >= end) {
      done.countDown();
      return;
    }
    http.sendAsync(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(
            "{\"input\": [%d]}".formatted(answers.incrementAndGet()))).build(),
            HttpResponse.BodyHandlers.discarding())
        .whenComplete((response, error) -> next(http, uri, answers, end, done));
  }

  /** 500 queries a second from 10 paced clients, each a fresh input (no cache help). */
  private static List<Outcome> drive(String app, Duration duration) throws InterruptedException {
    int clients = 10;
    long intervalNanos = TimeUnit.MILLISECONDS.toNanos(20);
    ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    AtomicLong inputs = new AtomicLong();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    for (int i = 0; i < clients; i++) {
      long offset = i * intervalNanos / clients;
      pool.submit(() -> {
        for (long due = start + offset; due < end; due += intervalNanos) {
          long wait = due - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          long sent = System.nanoTime();
          Answer answer = stack.queries.post("/" + app + "/predict",
              "{\"input\": [%d]}".formatted(inputs.incrementAndGet()));
          outcomes.add(new Outcome(answer.status(),
              answer.json() != null && answer.json().path("default").asBoolean(),
              answer.headers().firstValue("Retry-After").orElse(""),
              (System.nanoTime() - sent) / 1000, (sent - start) / 1_000_000));
        }
        return null;
      });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(duration.toSeconds() + 30, TimeUnit.SECONDS)).isTrue();
    return new ArrayList<>(outcomes);
  }

  private static Map<Long, Long> realAnswersPerSecond(List<Outcome> outcomes) {
    Map<Long, Long> perSecond = new TreeMap<>();
    outcomes.stream().filter(o -> o.status() == 200 && !o.isDefault())
        .filter(o -> o.sentMillis() < LOAD.toMillis())
        .forEach(o -> perSecond.merge(o.sentMillis() / 1000, 1L, Long::sum));
    return perSecond;
  }
}
