package ai.clipper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.clipper.it.SteadyLoad.Outcome;
import ai.clipper.metadata.localredis.LocalRedis;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three query frontends behind a real HAProxy with the config {@code ./clipper up --frontends 3}
 * runs: a uid's queries stay on one frontend; under a steady load (with and without uids) one
 * frontend is killed, another stopped by SIGTERM, both started again on their ports, and no
 * client sees anything but a 200; the restarted ones serve again, and answer as the others do.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FrontendsBehindLoadBalancerIT {

  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final long WINDOW_MILLIS = 10_000;
  private static final int UIDS = 5;
  /** Longer than the 2 s ./clipper up uses, so this machine's load cannot make it look short. */
  private static final Duration DRAIN_DELAY = Duration.ofSeconds(3);

  @RegisterExtension
  static final ClipperStack stack = ClipperStack.builder()
      .requires(HaProxy::installed, "haproxy is not installed (apt-get install -y haproxy):"
          + " skipping the load balancer test")
      .build();
  /** f1 (the stack's own), f2 and f3, in HAProxy's order; f2 and f3 are the ones broken. */
  private static final ServiceProcess[] frontends = new ServiceProcess[3];
  private static final HaProxy.Server[] servers = new HaProxy.Server[3];
  private static HaProxy haproxy;
  private static HttpJson balanced;
  /** Starts frontends side by side (the common pool may have a single thread on 2 cores). */
  private static final ExecutorService starter = Executors.newCachedThreadPool();

  @BeforeAll
  static void startThreeFrontendsBehindHaProxy() throws Exception {
    frontends[0] = stack.frontend;
    servers[0] = new HaProxy.Server(stack.frontend.port(), stack.frontendGrpcPort);
    for (int i = 1; i < 3; i++) {
      servers[i] = new HaProxy.Server(LocalRedis.freePort(), LocalRedis.freePort());
    }
    CompletableFuture<Void> started = CompletableFuture.runAsync(() -> restart(1, 2), starter);
    stack.admin.ok("/admin/add_model", """
        {"model_name": "sum", "model_version": "1", "input_type": "doubles",
         "container_name": "java-sum"}""");
    stack.admin.ok("/admin/set_num_replicas",
        "{\"model_name\": \"sum\", \"model_version\": \"1\", \"num_replicas\": 2}");
    for (String app : List.of("lb", "sticky", "spread")) {
      stack.admin.ok("/admin/add_app", """
          {"name": "%s", "input_type": "doubles", "default_output": "-1",
           "latency_slo_micros": 1000000}""".formatted(app));
      stack.admin.ok("/admin/add_model_links",
          "{\"app_name\": \"%s\", \"model_names\": [\"sum\"]}".formatted(app));
    }
    started.get(2, TimeUnit.MINUTES);
    haproxy = HaProxy.start(LocalRedis.freePort(), LocalRedis.freePort(), List.of(servers));
    balanced = new HttpJson(haproxy.url());
    await().atMost(PATIENCE).until(() -> stack.upReplicas("sum", "1") == 2);
    await().atMost(PATIENCE).ignoreExceptions().until(() -> haproxy.serversUp() == 3);
    for (int i = 0; i < 3; i++) {
      HttpJson direct = new HttpJson(frontends[i].url());
      await().atMost(PATIENCE).until(() ->
          !direct.ok("/lb/predict", "{\"input\": [1]}").path("default").asBoolean());
    }
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (haproxy != null) {
      haproxy.close();
    }
    for (int i = 1; i < 3; i++) {
      if (frontends[i] != null) {
        frontends[i].close();
      }
    }
    starter.shutdownNow();
  }

  @Test
  @Order(1)
  void aUidsQueriesAllGoToOneFrontendAndQueriesWithoutUidSpread() {
    for (int i = 0; i < 30; i++) {
      balanced.ok("/sticky/predict", "{\"uid\": 42, \"input\": [%d]}".formatted(i));
      balanced.ok("/spread/predict", "{\"input\": [%d]}".formatted(i));
    }
    assertThat(Stream.of(frontends).map(f -> predictions(f, "sticky")).toList())
        .as("queries of uid 42 counted by f1, f2, f3").containsOnlyOnce(30L)
        .containsOnly(0L, 30L);
    assertThat(Stream.of(frontends).filter(f -> predictions(f, "spread") > 0).count())
        .as("frontends that answered queries without a uid").isGreaterThan(1);
  }

  @Test
  @Order(2)
  void aKilledAndADrainedFrontendCostNoClientAnErrorAndComeBackAnsweringAsTheOthers()
      throws Exception {
    for (int uid = 1; uid <= UIDS; uid++) {
      balanced.ok("/lb/update", "{\"uid\": %d, \"input\": [%d, 1], \"label\": %d}"
          .formatted(uid, uid, uid + 1));
    }
    List<Outcome> outcomes = new ArrayList<>();
    long firstFault;
    long restarted;
    long[] retries = new long[2];
    try (SteadyLoad anonymous = new SteadyLoad(haproxy.url() + "/lb/predict", 2);
        SteadyLoad users = new SteadyLoad(haproxy.url() + "/lb/predict", 2, UIDS)) {
      Thread.sleep(1_000 + WINDOW_MILLIS);
      firstFault = anonymous.millis();
      frontends[1].process().destroyForcibly(); // kill -9: its queries in flight are cut off
      Thread.sleep(2_000);
      retries[0] = retried();
      frontends[2].process().destroy(); // SIGTERM
      HttpJson draining = new HttpJson(frontends[2].url());
      await().atMost(DRAIN_DELAY).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
          assertThat(draining.get("/actuator/health/readiness").status()).isEqualTo(503));
      assertThat(draining.ok("/lb/predict", "{\"input\": [2, 2]}").path("output").asInt())
          .as("answered while not ready, before it stops listening").isEqualTo(4);
      frontends[2].close(); // it drains what it has taken, then exits
      retries[1] = retried() - retries[0];
      restart(1, 2);
      await().atMost(PATIENCE).ignoreExceptions().until(() -> haproxy.serversUp() == 3);
      restarted = anonymous.millis();
      Thread.sleep(WINDOW_MILLIS);
      anonymous.close();
      users.close();
      outcomes.addAll(anonymous.outcomes());
      outcomes.addAll(users.outcomes());
    }

    long before = answered(outcomes, firstFault - WINDOW_MILLIS);
    long after = answered(outcomes, restarted);
    System.out.printf("behind HAProxy: %d answers, %d in the 10 s before the kill, %d in the 10 s"
        + " after the restarts (at %d ms); HAProxy resent %d after the kill, %d at the SIGTERM%n",
        outcomes.size(), before, after, restarted, retries[0], retries[1]);
    assertThat(outcomes).hasSizeGreaterThan(100)
        .allSatisfy(o -> assertThat(o.status()).as(o.toString()).isEqualTo(200));
    assertThat(retries[1]).as("queries HAProxy had to resend because of the SIGTERM")
        .isZero();
    // throughput is back: the two cores are shared, so no more than a good share of before
    assertThat(after).as("answers in the 10 s after the restarts").isGreaterThan(before / 3);
    for (int i = 1; i < 3; i++) {
      assertThat(predictions(frontends[i], "lb")).as("f%d's answers since its restart", i + 1)
          .isPositive();
    }
    for (int uid = 1; uid <= UIDS; uid++) {
      String query = "{\"uid\": %d, \"input\": [%d, 1]}".formatted(uid, uid);
      JsonNode selection = new HttpJson(frontends[0].url()).get("/lb/selection?uid=" + uid).json();
      assertThat(selection.path("models").path("sum:1").path("count").asInt()).isEqualTo(1);
      for (ServiceProcess frontend : frontends) {
        HttpJson direct = new HttpJson(frontend.url());
        JsonNode answer = direct.ok("/lb/predict", query);
        assertThat(answer.path("output").asInt()).as(answer.toString()).isEqualTo(uid + 1);
        assertThat(answer.path("model").asText()).isEqualTo("sum:1");
        assertThat(answer.path("default").asBoolean()).isFalse();
        assertThat(direct.get("/lb/selection?uid=" + uid).json()).isEqualTo(selection);
      }
    }
  }

  /** Starts frontends {@code indexes} on their ports, side by side (each takes 20 s or so). */
  private static void restart(int... indexes) {
    List<CompletableFuture<Void>> starts = new ArrayList<>();
    for (int i : indexes) {
      starts.add(CompletableFuture.runAsync(() ->
          frontends[i] = stack.startFrontendOn(servers[i].port(), servers[i].grpcPort(),
              "--clipper.frontend.shutdown.drain-delay=" + DRAIN_DELAY.toMillis() + "ms"),
          starter));
    }
    CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
  }

  /** Answers to queries sent within the 10 s from {@code fromMillis}. */
  private static long answered(List<Outcome> outcomes, long fromMillis) {
    return outcomes.stream().filter(o -> o.sentMillis() >= fromMillis
        && o.sentMillis() < fromMillis + WINDOW_MILLIS && o.status() == 200).count();
  }

  /** Queries of {@code app} that {@code frontend} answered (its clipper_predictions_total). */
  private static long predictions(ServiceProcess frontend, String app) {
    return (long) new HttpJson(frontend.url()).get("/actuator/prometheus").body().lines()
        .filter(line -> line.startsWith("clipper_predictions_total{")
            && line.contains("app=\"" + app + "\""))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** Requests HAProxy sent to a second frontend (its log's retries field, "+n" redispatched). */
  private static long retried() {
    return haproxy.log().lines().filter(line -> line.matches(".* \\d+/\\d+/\\d+/\\d+/\\+\\d+ .*"))
        .count();
  }
}
