package ai.clipper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One query, one trace, in a real Zipkin server: the client's W3C trace context is continued by
 * the frontend's spans and by the model container's span around its predict (Java and Python
 * SDKs), each under the right parent; a query answered with the default is traced although the
 * client did not sample it and the frontend samples nothing on its own.
 */
class TracingIT {

  private static final String FRONTEND = "query-frontend-service";

  @RegisterExtension
  static final ClipperStack stack = ClipperStack.builder()
      .tracingToZipkin()
      .frontendArgs("--management.tracing.sampling.probability=0",
          "--management.opentelemetry.tracing.export.schedule-delay=200ms")
      .build();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void deployTheTracedApps() {
    stack.deploy("traced-java", "doubles", 5_000_000, "jsum", "java-sum", "{}");
    stack.deploy("traced-python", "doubles", 5_000_000, "pysum", "python-sum", "{}");
    stack.deploy("traced-slow", "doubles", 100_000, "slow", "java-sleep",
        "{\"SLEEP_FIXED_MS\": \"1000\"}");
    for (String app : List.of("traced-java", "traced-python")) {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
          !stack.queries.ok("/" + app + "/predict", "{\"input\": [1]}").path("default")
              .asBoolean(true));
    }
    await().atMost(Duration.ofSeconds(90)).until(() -> stack.upReplicas("slow", "1") > 0);
  }

  @Test
  void oneQueryIsOneTraceThroughTheFrontendIntoAJavaContainer() throws Exception {
    assertOneTraceInto("traced-java", "clipper-model-jsum");
  }

  @Test
  void oneQueryIsOneTraceThroughTheFrontendIntoAPythonContainer() throws Exception {
    assertOneTraceInto("traced-python", "clipper-model-pysum");
  }

  @Test
  void aDefaultIsTracedAlthoughNobodySampledIt() throws Exception {
    String traceId = hex(16);
    String clientSpan = hex(8);
    HttpResponse<String> answer = predict("traced-slow", traceId, clientSpan, "00");
    assertThat(answer.body()).contains("\"default\":true");

    List<JsonNode> spans = awaitSpans(traceId, List.of("clipper.predict", "clipper.model"));
    JsonNode query = named(spans, "clipper.predict");
    assertThat(query.path("parentId").asText()).isEqualTo(clientSpan);
    assertThat(query.path("tags").path("clipper.default").asText()).isEqualTo("true");
    assertThat(query.path("tags").path("clipper.default_reason").asText()).isEqualTo("slo");
    assertThat(named(spans, "clipper.model").path("parentId").asText())
        .isEqualTo(query.path("id").asText());
  }

  private void assertOneTraceInto(String app, String containerService) throws Exception {
    String traceId = hex(16);
    String clientSpan = hex(8);
    HttpResponse<String> answer = predict(app, traceId, clientSpan, "01");
    assertThat(answer.body()).contains("\"default\":false");
    assertThat(answer.headers().firstValue("Server-Timing")).hasValueSatisfying(timing ->
        assertThat(timing).contains("queue;dur=", "model;dur=", "total;dur="));

    List<JsonNode> spans = awaitSpans(traceId,
        List.of("clipper.predict", "clipper.queue", "clipper.model", "predict"));
    assertThat(spans).allSatisfy(span ->
        assertThat(span.path("traceId").asText()).isEqualTo(traceId));
    JsonNode query = named(spans, "clipper.predict");
    assertThat(query.path("localEndpoint").path("serviceName").asText()).isEqualTo(FRONTEND);
    assertThat(query.path("parentId").asText()).isEqualTo(clientSpan);
    assertThat(query.path("tags").path("clipper.app").asText()).isEqualTo(app);
    assertThat(query.path("tags").path("clipper.default").asText()).isEqualTo("false");
    assertThat(named(spans, "clipper.queue").path("parentId").asText())
        .isEqualTo(query.path("id").asText());
    JsonNode modelCall = named(spans, "clipper.model");
    assertThat(modelCall.path("parentId").asText()).isEqualTo(query.path("id").asText());
    JsonNode predict = named(spans, "predict");
    assertThat(predict.path("localEndpoint").path("serviceName").asText())
        .isEqualTo(containerService);
    assertThat(predict.path("parentId").asText()).isEqualTo(modelCall.path("id").asText());
  }

  private HttpResponse<String> predict(String app, String traceId, String parentSpan,
      String flags) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(stack.frontend.url() + "/" + app
            + "/predict"))
        .header("Content-Type", "application/json")
        .header("traceparent", "00-" + traceId + "-" + parentSpan + "-" + flags)
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"input\": [" + ThreadLocalRandom.current().nextInt(1_000_000) + "]}"))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The trace's spans once every one of {@code names} arrived (exports are batched). */
  private static List<JsonNode> awaitSpans(String traceId, List<String> names) {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
        .until(() -> stack.zipkin().trace(traceId), spans -> names.stream().allMatch(name ->
            spans.stream().anyMatch(span -> span.path("name").asText().equals(name))));
  }

  private static JsonNode named(List<JsonNode> spans, String name) {
    List<JsonNode> matching = spans.stream()
        .filter(span -> span.path("name").asText().equals(name)).toList();
    assertThat(matching).as("spans named %s in %s", name, spans).hasSize(1);
    return matching.get(0);
  }

  private static String hex(int bytes) {
    byte[] random = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
