package ai.clipper.frontend.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.clipper.frontend.MetadataWriter;
import ai.clipper.frontend.query.Prediction;
import ai.clipper.frontend.registry.MetadataRegistry;
import ai.clipper.metadata.App;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.PolicyParams;
import ai.clipper.metadata.Replica;
import ai.clipper.metadata.localredis.LocalRedis;
import ai.clipper.sdk.ContainerConfig;
import ai.clipper.sdk.InputType;
import ai.clipper.sdk.ModelContainer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The predict API end to end: a real Redis written as the management service writes it, and real
 * model containers over gRPC on real ports.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.http.codecs.max-in-memory-size=64KB")
@AutoConfigureWebTestClient
class PredictApiIT {

  private static final LocalRedis REDIS = LocalRedis.start();
  private static ModelContainer sum;
  private static ModelContainer tenTimesSum;
  private static ModelContainer slow;
  private static ModelContainer failing;
  private static ModelContainer counted;
  private static final AtomicInteger countedCalls = new AtomicInteger();
  private static MetadataWriter metadata;

  @Autowired
  private WebTestClient client;

  @Autowired
  private MetadataRegistry registry;

  @LocalServerPort
  private int port;

  @DynamicPropertySource
  static void redis(DynamicPropertyRegistry properties) {
    properties.add("spring.data.redis.port", REDIS::port);
  }

  @BeforeAll
  static void startContainers() throws IOException {
    sum = container("sum", inputs -> inputs.stream()
        .map(x -> String.valueOf(Arrays.stream(x).sum())).toList());
    tenTimesSum = container("ten-times-sum", inputs -> inputs.stream()
        .map(x -> String.valueOf(10 * Arrays.stream(x).sum())).toList());
    slow = container("slow", inputs -> {
      Thread.sleep(1000);
      return inputs.stream().map(x -> "late").toList();
    });
    failing = container("failing", inputs -> {
      throw new IllegalStateException("boom");
    });
    counted = container("counted", inputs -> {
      countedCalls.addAndGet(inputs.size());
      return inputs.stream().map(x -> String.valueOf(Arrays.stream(x).sum())).toList();
    });
    metadata = new MetadataWriter(REDIS.port());
    deploy("sum", "sum", "1", sum, 1_000_000);
    deploy("slow", "slow", "1", slow, 100_000);
    deploy("failing", "failing", "1", failing, 1_000_000);
    deploy("versioned", "versioned", "1", sum, 1_000_000);
    deployVersion("versioned", "2", tenTimesSum);
    deploy("cached", "counted", "1", counted, 1_000_000);
    metadata.addApp(new App("uncached", InputType.DOUBLES, "\"none\"", 1_000_000, "single", false))
        .link("uncached", "counted");
    metadata.addApp(
        new App("unlinked", InputType.DOUBLES, "\"none\"", 1_000_000, "single", true));
    // an ensemble of sum and ten-times-sum, and an app whose policy this frontend does not know
    metadata.addApp(new App("ensemble", InputType.DOUBLES, "\"none\"", 1_000_000, "exp4", true,
            PolicyParams.parse("{\"loss\":\"absolute\",\"loss_scale\":100}")))
        .link("ensemble", "sum").link("ensemble", "ten").setCurrentVersion("ten", "1");
    deployVersion("ten", "1", tenTimesSum);
    metadata.addApp(new App("future", InputType.DOUBLES, "\"none\"", 1_000_000, "ucb", true))
        .link("future", "sum");
    metadata.publish();
  }

  @AfterAll
  static void stopAll() {
    metadata.close();
    for (ModelContainer container : List.of(sum, tenTimesSum, slow, failing, counted)) {
      container.close();
    }
    REDIS.close();
  }

  @Test
  void predictsWithTheLinkedModel() {
    awaitApp("sum");
    predict("sum", "{\"input\": [1, 2, 3]}").expectStatus().isOk()
        .expectBody()
        .jsonPath("$.output").isEqualTo(6.0)
        .jsonPath("$.default").isEqualTo(false)
        .jsonPath("$.query_id").isNumber()
        .jsonPath("$.default_explanation").doesNotExist();
  }

  @Test
  void readsTheBodyAsJsonWhateverItsContentType() {
    awaitApp("sum");
    client.post().uri("/sum/predict")
        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
        .bodyValue("{\"input\": [2, 2]}")
        .exchange()
        .expectStatus().isOk()
        .expectBody().jsonPath("$.output").isEqualTo(4.0);
  }

  @Test
  void acceptsATrailingSlash() {
    awaitApp("sum");
    predict("sum/", "{\"input\": [1.5, 2]}").expectStatus().isOk()
        .expectBody().jsonPath("$.output").isEqualTo(3.5);
  }

  @Test
  void answersABatchInInputOrder() {
    awaitApp("sum");
    predict("sum", "{\"input_batch\": [[1], [2, 2], [3, 3, 3]]}").expectStatus().isOk()
        .expectBody()
        .jsonPath("$.batch_predictions.length()").isEqualTo(3)
        .jsonPath("$.batch_predictions[0].output").isEqualTo(1.0)
        .jsonPath("$.batch_predictions[1].output").isEqualTo(4.0)
        .jsonPath("$.batch_predictions[2].output").isEqualTo(9.0)
        .jsonPath("$.batch_predictions[2].default").isEqualTo(false);
  }

  @Test
  void answersABatchOfOneAsABatch() {
    awaitApp("sum");
    predict("sum", "{\"input_batch\": [[4]]}").expectStatus().isOk()
        .expectBody().jsonPath("$.batch_predictions[0].output").isEqualTo(4.0);
  }

  @Test
  void returnsDefaultOutputWhenSloIsMissed() {
    awaitApp("slow");
    long start = System.nanoTime();
    predict("slow", "{\"input\": [1]}").expectStatus().isOk()
        .expectBody()
        .jsonPath("$.output").isEqualTo("none")
        .jsonPath("$.default").isEqualTo(true)
        .jsonPath("$.default_explanation").isEqualTo(Prediction.SLO_MISSED);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    // SLO 100 ms, model 1 s: the default must come at the SLO, not when the model answers.
    assertThat(elapsed).isLessThan(Duration.ofMillis(100 + 400));
  }

  @Test
  void saysInServerTimingWhereTheAnswersTimeWent() throws Exception {
    awaitApp("sum");
    String body = "{\"input\": [" + System.nanoTime() + "]}";
    long start = System.nanoTime();
    HttpResponse<String> answer = post("/sum/predict", body);
    double clientMillis = (System.nanoTime() - start) / 1e6;
    Map<String, Double> timing = serverTiming(answer);
    assertThat(timing).containsKeys("queue", "model", "total").doesNotContainKey("cache");
    assertThat(timing.get("model")).isPositive();
    // each part is rounded to the microsecond
    assertThat(timing.get("queue") + timing.get("model")).isLessThanOrEqualTo(
        timing.get("total") + 0.002);
    assertThat(timing.get("total")).isLessThanOrEqualTo(clientMillis);

    Map<String, Double> cached = serverTiming(post("/sum/predict", body));
    assertThat(cached).containsEntry("queue", 0.0).containsEntry("model", 0.0)
        .containsKey("cache");
  }

  @Test
  void aDefaultSaysItsTimeWentToTheModelThatMissedTheSlo() throws Exception {
    awaitApp("slow");
    Map<String, Double> timing = serverTiming(post("/slow/predict", "{\"input\": [7]}"));
    assertThat(timing.get("model")).isPositive();
    assertThat(timing.get("queue") + timing.get("model")).isLessThanOrEqualTo(
        timing.get("total") + 0.002);
  }

  @Test
  void v2AnswersItsTimingInParametersWhenAskedAndInServerTiming() throws Exception {
    awaitApp("sum");
    HttpResponse<String> answer = post("/v2/models/sum/infer", """
        {"parameters": {"timing": true}, "inputs": [{"name": "input", "shape": [1, 2],
         "datatype": "FP64", "data": [%d, 1]}]}""".formatted(System.nanoTime()));
    assertThat(answer.statusCode()).isEqualTo(200);
    Map<String, Double> header = serverTiming(answer);
    var parameters = new tools.jackson.databind.ObjectMapper().readTree(answer.body())
        .get("parameters");
    assertThat(parameters.get("total_ms").asDouble()).isPositive()
        .isLessThanOrEqualTo(header.get("total"));
    assertThat(parameters.get("model_ms").asDouble()).isPositive();
    assertThat(parameters.get("queue_ms").asDouble() + parameters.get("model_ms").asDouble())
        .isLessThanOrEqualTo(parameters.get("total_ms").asDouble() + 0.002);

    HttpResponse<String> notAsked = post("/v2/models/sum/infer", """
        {"inputs": [{"name": "input", "shape": [1, 1], "datatype": "FP64", "data": [1]}]}""");
    assertThat(notAsked.body()).doesNotContain("total_ms");
    assertThat(post("/v2/models/sum/infer", """
        {"parameters": {"timing": "yes"}, "inputs": [{"name": "input", "shape": [1, 1],
         "datatype": "FP64", "data": [1]}]}""").statusCode()).isEqualTo(400);
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** {@code queue;dur=0.1, model;dur=2, total;dur=3, cache;desc=hit} as name to milliseconds. */
  private static Map<String, Double> serverTiming(HttpResponse<String> answer) {
    String header = answer.headers().firstValue("Server-Timing").orElseThrow();
    Map<String, Double> parts = new java.util.LinkedHashMap<>();
    for (String part : header.split(",\\s*")) {
      String[] fields = part.split(";");
      parts.put(fields[0], fields[1].startsWith("dur=")
          ? Double.parseDouble(fields[1].substring(4)) : 0.0);
    }
    return parts;
  }

  @Test
  void answersDefaultWithExplanationWhenTheModelFailsAndKeepsServing() {
    awaitApp("failing");
    predict("failing", "{\"input\": [1]}").expectStatus().isOk()
        .expectBody()
        .jsonPath("$.default").isEqualTo(true)
        .jsonPath("$.output").isEqualTo("none")
        .jsonPath("$.default_explanation").value(String.class,
            explanation -> assertThat(explanation).startsWith("Model error: INTERNAL")
                .contains("boom"));
    predict("failing", "{\"input\": [2]}").expectStatus().isOk()
        .expectBody().jsonPath("$.default").isEqualTo(true);
    predict("sum", "{\"input\": [2, 2]}").expectStatus().isOk()
        .expectBody().jsonPath("$.output").isEqualTo(4.0);
  }

  @Test
  void answersNoConnectedModelsForAnAppWithoutLinks() {
    awaitApp("unlinked");
    predict("unlinked", "{\"input\": [1]}").expectStatus().isOk()
        .expectBody()
        .jsonPath("$.default").isEqualTo(true)
        .jsonPath("$.output").isEqualTo("none")
        .jsonPath("$.default_explanation").isEqualTo(Prediction.NO_CONNECTED_MODELS);
  }

  @Test
  void answersARepeatedQueryFromTheCacheWithoutASecondModelCall() throws Exception {
    awaitApp("cached");
    int before = countedCalls.get();
    predict("cached", "{\"input\": [40, 1]}").expectBody().jsonPath("$.output").isEqualTo(41.0);

    predict("cached", "{\"input\": [40, 1]}").expectStatus().isOk()
        .expectBody()
        .jsonPath("$.output").isEqualTo(41.0)
        .jsonPath("$.default").isEqualTo(false);

    assertThat(countedCalls.get() - before).isEqualTo(1);
    assertThat(prometheus())
        .contains("clipper_cache_requests_total{model=\"counted:1\",result=\"hit\"}")
        .contains("clipper_cache_requests_total{model=\"counted:1\",result=\"miss\"}")
        .contains("clipper_cache_size_bytes");
  }

  @Test
  void callsTheModelEveryTimeForAnAppWithoutTheCache() {
    awaitApp("uncached");
    int before = countedCalls.get();

    for (int i = 0; i < 3; i++) {
      predict("uncached", "{\"input\": [50, 1]}").expectBody().jsonPath("$.output")
          .isEqualTo(51.0);
    }

    assertThat(countedCalls.get() - before).isEqualTo(3);
  }

  /** The first query caches version 1's answer, which version 2 must not serve. */
  @Test
  void switchesToTheNewCurrentVersionWithinTwoSeconds() {
    awaitApp("versioned");
    predict("versioned", "{\"input\": [1, 2]}").expectBody().jsonPath("$.output").isEqualTo(3.0);
    predict("versioned", "{\"input\": [1, 2], \"version\": \"2\"}")
        .expectBody().jsonPath("$.output").isEqualTo(30.0);

    metadata.setCurrentVersion("versioned", "2");
    metadata.publish();
    long start = System.nanoTime();
    await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
        predict("versioned", "{\"input\": [1, 2]}").expectBody().jsonPath("$.output")
            .isEqualTo(30.0));
    System.out.printf("version switch applied after %d ms%n",
        Duration.ofNanos(System.nanoTime() - start).toMillis());
    predict("versioned", "{\"input\": [1, 2], \"version\": \"1\"}")
        .expectBody().jsonPath("$.output").isEqualTo(3.0);
  }

  @Test
  void rejectsAnUnknownVersion() {
    awaitApp("sum");
    predict("sum", "{\"input\": [1], \"version\": \"9\"}").expectStatus().isBadRequest()
        .expectBody()
        .jsonPath("$.error").isEqualTo("Query processing error")
        .jsonPath("$.cause").isEqualTo("Requested version: 9 does not exist for model: sum");
  }

  @Test
  void answers404OnceTheAppIsDeleted() {
    deploy("doomed", "sum", "1", sum, 1_000_000);
    metadata.publish();
    awaitApp("doomed");
    predict("doomed", "{\"input\": [1]}").expectStatus().isOk();

    metadata.removeApp("doomed");
    metadata.publish();
    await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
        predict("doomed", "{\"input\": [1]}").expectStatus().isNotFound()
            .expectBody()
            .jsonPath("$.error").isEqualTo("Application not found")
            .jsonPath("$.cause").isEqualTo("No application named 'doomed'"));
  }

  @Test
  void answersJsonErrorsForBadRequests() {
    awaitApp("sum");
    predict("sum", "{\"input\": [1, 2").expectStatus().isBadRequest()
        .expectBody()
        .jsonPath("$.error").isEqualTo("Json error")
        .jsonPath("$.cause").value(String.class,
            cause -> assertThat(cause).startsWith("Error parsing JSON: "));
    predict("sum", "{\"input\": \"abc\"}").expectStatus().isBadRequest()
        .expectBody()
        .jsonPath("$.error").isEqualTo("Json error")
        .jsonPath("$.cause").isEqualTo("Input for app sum must be an array of doubles");
    predict("sum", "{\"inputs\": [1]}").expectStatus().isBadRequest()
        .expectBody().jsonPath("$.cause")
        .isEqualTo("JSON object does not have required keys input or input_batch");
    predict("sum", "").expectStatus().isBadRequest()
        .expectBody().jsonPath("$.error").isEqualTo("Json error");
    predict("nobody", "{\"input\": [1]}").expectStatus().isNotFound()
        .expectBody()
        .jsonPath("$.error").isEqualTo("Application not found")
        .jsonPath("$.cause").isEqualTo("No application named 'nobody'");
  }

  @Test
  void answers413ToAClientThatSendsTheWholeBodyBeforeReading() throws Exception {
    // As Python's requests does: no Expect: 100-continue, the whole body written, then the
    // answer read. The body is far larger than the socket buffers, so the server must read it.
    byte[] body = ("{\"input\": [" + "1,".repeat(2_000_000) + "1]}")
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      java.io.OutputStream out = socket.getOutputStream();
      out.write(("POST /sum/predict HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: application/json\r\nConnection: close\r\n"
          + "Content-Length: " + body.length + "\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();

      String answer = new String(socket.getInputStream().readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 413")
          .contains("\"error\":\"Payload too large\"");
    }
    predict("sum", "{\"input\": [1]}").expectStatus().isOk();
  }

  @Test
  void answersJsonErrorsForUnknownPathsAndMethods() {
    client.get().uri("/no/such/path").exchange().expectStatus().isNotFound()
        .expectHeader().contentType(MediaType.APPLICATION_JSON)
        .expectBody().jsonPath("$.error").isEqualTo("Not found");
    client.get().uri("/sum/predict").exchange().expectStatus().isEqualTo(405)
        .expectBody().jsonPath("$.error").isEqualTo("Method not allowed");
    client.post().uri("/sum/more/predict").bodyValue("{\"input\": [1]}").exchange()
        .expectStatus().isNotFound()
        .expectBody().jsonPath("$.error").isEqualTo("Not found");
  }

  @Test
  void answers413ForABodyOverTheLimit() throws Exception {
    String large = "{\"input\": [" + "1,".repeat(40_000) + "1]}";
    // The JDK client, because the server answers before it has read the whole body, and
    // Reactor Netty's client trips over that early answer.
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder()
            .uri(URI.create("http://127.0.0.1:" + port + "/sum/predict"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(large))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("\"error\":\"Payload too large\"");
  }

  @Test
  void exposesHealthAndPerAppMetrics() throws Exception {
    awaitApp("sum");
    predict("sum", "{\"input\": [1]}").expectStatus().isOk();
    client.get().uri("/actuator/health").exchange().expectStatus().isOk()
        .expectBody().jsonPath("$.status").isEqualTo("UP");
    assertThat(prometheus())
        .contains("clipper_predictions_total{app=\"sum\",default=\"false\"}")
        .contains("clipper_prediction_latency_seconds_count{app=\"sum\"}")
        .contains("clipper_batch_size_count{model=\"sum:1\"}")
        .contains("clipper_replicas_up{model=\"sum:1\"} 1.0");
    client.get().uri("/metrics").exchange().expectStatus().isOk()
        .expectBody()
        .jsonPath("$.counters[?(@['app:sum:num_predictions'])]").exists()
        .jsonPath("$.histograms[?(@['model:sum:1:batch_size'])]").exists();
  }

  /** The scrape, through the JDK client: it outgrows the test client's 64 KB buffer. */
  private String prometheus() throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder()
            .uri(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  @Test
  void saysWhichModelAnsweredASingleModelQuery() {
    awaitApp("sum");
    predict("sum", "{\"input\": [1, 2]}").expectStatus().isOk()
        .expectBody().jsonPath("$.model").isEqualTo("sum:1")
        .jsonPath("$.models").doesNotExist();
  }

  @Test
  void combinesAnEnsembleAndLearnsFromFeedbackOnEveryModel() {
    awaitApp("ensemble");
    // equal weights: the average of 3 (sum) and 30 (ten)
    predict("ensemble", "{\"input\": [1, 2]}").expectStatus().isOk()
        .expectBody().jsonPath("$.output").isEqualTo(16.5)
        .jsonPath("$.models.length()").isEqualTo(2)
        .jsonPath("$.missing_models.length()").isEqualTo(0)
        .jsonPath("$.partial").isEqualTo(false);

    client.post().uri("/ensemble/update").bodyValue("{\"uid\": 5, \"input\": [1, 2], \"label\": 3}")
        .exchange().expectStatus().isOk()
        .expectBody().jsonPath("$.message").isEqualTo("Feedback received")
        .jsonPath("$.uid").isEqualTo(5)
        .jsonPath("$.losses['sum:1']").isEqualTo(0.0)
        .jsonPath("$.losses['ten:1']").isEqualTo(0.27);
    client.get().uri("/ensemble/selection?uid=5").exchange().expectStatus().isOk()
        .expectBody().jsonPath("$.models['sum:1'].count").isEqualTo(1)
        .jsonPath("$.models['ten:1'].loss_sum").isEqualTo(0.27);
  }

  @Test
  void answersUpdateErrorsAsJson() {
    awaitApp("sum");
    client.post().uri("/sum/update").bodyValue("{\"input\": [1]}").exchange()
        .expectStatus().isBadRequest()
        .expectBody().jsonPath("$.error").isEqualTo("Json error")
        .jsonPath("$.cause").value(cause -> assertThat((String) cause)
            .startsWith("JSON object does not have required keys input and label"));
    client.post().uri("/sum/update").bodyValue("{\"input\": [1], \"label\": \"cat\"}")
        .exchange().expectStatus().isBadRequest()
        .expectBody().jsonPath("$.cause").isEqualTo("label must be a number, not \"cat\"");
    client.post().uri("/nope/update").bodyValue("{\"input\": [1], \"label\": 1}").exchange()
        .expectStatus().isNotFound();
  }

  @Test
  void answersAnUnknownPolicyOrAVersionWithAnEnsembleAsAQueryProcessingError() {
    awaitApp("future");
    awaitApp("ensemble");
    predict("future", "{\"input\": [1]}").expectStatus().isBadRequest()
        .expectBody().jsonPath("$.error").isEqualTo("Query processing error")
        .jsonPath("$.cause").isEqualTo("ucb is an invalid selection_policy.");
    predict("ensemble", "{\"input\": [1], \"version\": \"1\"}").expectStatus().isBadRequest()
        .expectBody().jsonPath("$.cause").value(cause -> assertThat((String) cause)
            .contains("only be asked for with the single selection policy"));
  }

  private WebTestClient.ResponseSpec predict(String appPath, String body) {
    return client.post().uri("/" + appPath + (appPath.endsWith("/") ? "predict" : "/predict"))
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange();
  }

  private void awaitApp(String app) {
    await().atMost(Duration.ofSeconds(5))
        .until(() -> registry.current().app(app).isPresent());
  }

  private static ModelContainer container(String name, ai.clipper.sdk.Model<double[]> model)
      throws IOException {
    return ModelContainer.start(model, new ContainerConfig(name, "1", InputType.DOUBLES, 0,
        "127.0.0.1", Optional.empty(), Optional.empty()));
  }

  private static void deploy(String app, String model, String version, ModelContainer container,
      long sloMicros) {
    metadata.addApp(new App(app, InputType.DOUBLES, "\"none\"", sloMicros, "single", true))
        .link(app, model)
        .setCurrentVersion(model, version);
    deployVersion(model, version, container);
  }

  private static void deployVersion(String model, String version, ModelContainer container) {
    ModelId id = new ModelId(model, version);
    metadata.addModel(new Model(id, InputType.DOUBLES, List.of(), Model.NO_CONTAINER, "", -1, 0,
            0, Map.of()))
        .addReplica(new Replica(id, 0, "127.0.0.1", container.port(), InputType.DOUBLES,
            Replica.Status.UP));
  }

}
