package ai.clipper.it;

import static ai.clipper.it.V2Apps.predicted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.clipper.it.HttpJson.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Open Inference Protocol over REST against the real stack: every endpoint, batches [N, 10]
 * in FP64, FP32 and INT32 and BYTES for a strings app answering what /{app}/predict answers,
 * the default answer, the uid and timeout parameters, and every error row.
 */
class V2RestIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Distinct inputs: an input answered once is answered from the cache afterwards. */
  private static final AtomicInteger FRESH = new AtomicInteger(1000);

  @RegisterExtension
  static final ClipperStack stack = ClipperStack.withDefaults();

  @BeforeAll
  static void deployTheV2Apps() {
    V2Apps.deploy(stack);
  }

  private static JsonNode ok(Answer answer) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    return answer.json();
  }

  private static Answer infer(String path, String body) {
    return stack.queries.post("/v2/models/" + path + "/infer", body);
  }

  /** An infer body with one input tensor. */
  private static String tensor(String datatype, String shape, String data, String extra) {
    return """
        {"id": "req-1", %s "inputs": [{"name": "x", "datatype": "%s", "shape": %s,
         "data": %s}]}""".formatted(extra, datatype, shape, data);
  }

  /** N rows of 10 distinct numbers, as JSON rows; floats are exact in binary (quarters). */
  private static List<String> rows(int n, boolean fractions) {
    int base = FRESH.getAndAdd(n * 10);
    return IntStream.range(0, n).mapToObj(r -> IntStream.range(0, 10)
            .mapToObj(c -> fractions ? Double.toString((base + r * 10 + c) / 4.0)
                : Integer.toString(base + r * 10 + c))
            .toList().toString())
        .toList();
  }

  /** The output tensor's strings, each re-serialised like predict's JSON output. */
  private static List<String> outputs(JsonNode answer) {
    JsonNode output = answer.get("outputs").get(0);
    assertThat(output.get("name").asText()).isEqualTo("output");
    assertThat(output.get("datatype").asText()).isEqualTo("BYTES");
    List<String> values = new ArrayList<>();
    output.get("data").forEach(v -> values.add(normalise(v.asText())));
    assertThat(output.get("shape").toString()).isEqualTo("[" + values.size() + "]");
    return values;
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String normalise(String output) {
    try {
      return JSON.readTree(output).toString();
    } catch (Exception notJson) {
      return output;
    }
  }

  private static void assertNoDefaults(JsonNode answer, int n) {
    assertThat(answer.at("/parameters/default").asBoolean(true)).isFalse();
    JsonNode flags = answer.get("outputs").get(1);
    assertThat(flags.get("name").asText()).isEqualTo("default");
    assertThat(flags.get("datatype").asText()).isEqualTo("BOOL");
    assertThat(flags.get("data")).hasSize(n)
        .allSatisfy(flag -> assertThat(flag.asBoolean(true)).isFalse());
  }

  @Test
  void servesServerMetadataLivenessAndReadiness() {
    JsonNode server = ok(stack.queries.get("/v2"));
    assertThat(server.get("name").asText()).isEqualTo("clipper");
    assertThat(server.get("version").asText()).isNotEmpty();
    assertThat(server.get("extensions")).isEmpty();
    assertThat(ok(stack.queries.get("/v2/health/live")).toString()).isEqualTo("{\"live\":true}");
    assertThat(ok(stack.queries.get("/v2/health/ready")).toString())
        .isEqualTo("{\"ready\":true}");
  }

  @Test
  void describesAnAppAsAModelWithItsVersionsInputAndOutputs() {
    JsonNode sum = ok(stack.queries.get("/v2/models/" + V2Apps.SUM));
    assertThat(sum).isEqualTo(json("""
        {"name":"v2-sum","versions":["1"],"platform":"clipper",\
        "inputs":[{"name":"input","datatype":"FP64","shape":[-1,-1]}],\
        "outputs":[{"name":"output","datatype":"BYTES","shape":[-1]},\
        {"name":"default","datatype":"BOOL","shape":[-1]}]}"""));
    assertThat(ok(stack.queries.get("/v2/models/" + V2Apps.SUM + "/versions/1"))
        .get("versions").toString()).isEqualTo("[\"1\"]");
    assertThat(ok(stack.queries.get("/v2/models/" + V2Apps.STRINGS)).get("inputs"))
        .isEqualTo(json("[{\"name\":\"input\",\"datatype\":\"BYTES\",\"shape\":[-1]}]"));
    assertThat(ok(stack.queries.get("/v2/models/" + V2Apps.INTS)).at("/inputs/0/datatype")
        .asText()).isEqualTo("INT32");
  }

  @Test
  void saysAModelIsReadyWhenItsModelHasAReplicaAndNotWhenItLinksNone() {
    assertThat(ok(stack.queries.get("/v2/models/" + V2Apps.SUM + "/ready")))
        .isEqualTo(json("{\"name\":\"v2-sum\",\"ready\":true}"));
    assertThat(ok(stack.queries.get("/v2/models/" + V2Apps.SUM + "/versions/1/ready"))
        .get("ready").asBoolean()).isTrue();

    Answer unlinked = stack.queries.get("/v2/models/" + V2Apps.UNLINKED + "/ready");
    assertThat(unlinked.status()).isEqualTo(503);
    assertThat(unlinked.json()).isEqualTo(json("{\"name\":\"v2-unlinked\",\"ready\":false}"));
  }

  @Test
  void answersAnFp64BatchAsPredictDoesFromFlatData() {
    List<String> rows = rows(4, true);
    String flat = rows.toString().replace("[", "").replace("]", "");

    JsonNode answer = ok(infer(V2Apps.SUM, tensor("FP64", "[4, 10]", "[" + flat + "]", "")));

    assertThat(answer.get("model_name").asText()).isEqualTo(V2Apps.SUM);
    assertThat(answer.get("model_version").asText()).isEqualTo("1");
    assertThat(answer.get("id").asText()).isEqualTo("req-1");
    assertThat(outputs(answer)).containsExactlyElementsOf(predicted(stack, V2Apps.SUM, rows));
    assertNoDefaults(answer, 4);
  }

  @Test
  void answersAnFp32BatchAsPredictDoesFromNestedData() {
    List<String> rows = rows(3, true);

    JsonNode answer = ok(infer(V2Apps.FLOATS, tensor("FP32", "[3, 10]", rows.toString(), "")));

    List<String> echoed = outputs(answer);
    assertThat(echoed).containsExactlyElementsOf(predicted(stack, V2Apps.FLOATS, rows));
    assertThat(json(echoed.get(2)).get(9).asDouble())
        .isEqualTo(json(rows.get(2)).get(9).asDouble());
    assertNoDefaults(answer, 3);
  }

  @Test
  void answersAnInt32BatchAsPredictDoes() {
    List<String> rows = rows(5, false);

    JsonNode answer = ok(infer(V2Apps.INTS, tensor("INT32", "[5, 10]", rows.toString(), "")));

    List<String> echoed = outputs(answer);
    assertThat(echoed).containsExactlyElementsOf(predicted(stack, V2Apps.INTS, rows));
    assertThat(echoed).containsExactlyElementsOf(rows.stream().map(V2RestIT::normalise).toList());
  }

  @Test
  void widensInt32ForADoublesAppAndPinsAVersion() {
    List<String> rows = rows(2, false);

    JsonNode answer = ok(infer(V2Apps.SUM + "/versions/1",
        tensor("INT32", "[2, 10]", rows.toString(), "")));

    assertThat(answer.get("model_version").asText()).isEqualTo("1");
    assertThat(outputs(answer)).containsExactlyElementsOf(predicted(stack, V2Apps.SUM, rows));
  }

  @Test
  void answersBytesForAStringsAppAsPredictDoes() {
    int n = FRESH.getAndIncrement();
    List<String> strings = List.of("héllo " + n, "{\"not\": \"parsed\"}", "line\nbreak " + n);
    String data = JSON.valueToTree(strings).toString();

    JsonNode answer = ok(infer(V2Apps.STRINGS, tensor("BYTES", "[3]", data, "")));

    List<String> echoed = new ArrayList<>();
    answer.at("/outputs/0/data").forEach(v -> echoed.add(v.asText()));
    assertThat(echoed).containsExactlyElementsOf(strings);
    List<String> rows = strings.stream().map(s -> JSON.valueToTree(s).toString()).toList();
    assertThat(echoed.stream().map(V2RestIT::normalise).toList())
        .containsExactlyElementsOf(predicted(stack, V2Apps.STRINGS, rows));
  }

  @Test
  void answersTheDefaultFlaggedWhenTheSloPassesFirst() {
    String row = "[" + FRESH.getAndIncrement() + ", 1]";
    await().atMost(Duration.ofSeconds(60)).until(() -> stack.upReplicas("slow", "1") == 1);

    JsonNode answer = ok(infer(V2Apps.SLOW, tensor("FP64", "[1, 2]", "[" + row + "]", "")));

    assertThat(answer.at("/outputs/0/data").toString()).isEqualTo("[\"-1\"]");
    assertThat(answer.at("/outputs/1/data").toString()).isEqualTo("[true]");
    assertThat(answer.at("/parameters/default").asBoolean()).isTrue();
    assertThat(answer.at("/parameters/default_explanation").asText())
        .isEqualTo(V2Apps.SLO_MISSED);
    assertThat(answer.has("model_version")).isFalse();
  }

  @Test
  void aTimeoutShortensTheSloButNeverLengthensIt() {
    String longSlo = "[" + FRESH.getAndIncrement() + ", 2]";
    JsonNode waited = ok(infer(V2Apps.SLOW_LONG_SLO,
        tensor("FP64", "[1, 2]", "[" + longSlo + "]", "")));
    assertThat(waited.at("/parameters/default").asBoolean(true)).isFalse();

    String shortened = "[" + FRESH.getAndIncrement() + ", 2]";
    JsonNode cut = ok(infer(V2Apps.SLOW_LONG_SLO, tensor("FP64", "[1, 2]",
        "[" + shortened + "]", "\"parameters\": {\"timeout\": 100000},")));
    assertThat(cut.at("/parameters/default").asBoolean()).isTrue();
    assertThat(cut.at("/parameters/default_explanation").asText()).isEqualTo(V2Apps.SLO_MISSED);

    String lengthened = "[" + FRESH.getAndIncrement() + ", 2]";
    JsonNode notLonger = ok(infer(V2Apps.SLOW, tensor("FP64", "[1, 2]",
        "[" + lengthened + "]", "\"parameters\": {\"timeout\": 60000000},")));
    assertThat(notLonger.at("/parameters/default").asBoolean()).isTrue();
  }

  @Test
  void takesAUidAndAnswersOnlyTheOutputsAskedFor() {
    List<String> rows = rows(2, false);
    JsonNode answer = ok(stack.queries.post("/v2/models/" + V2Apps.SUM + "/infer", """
        {"parameters": {"uid": 7}, "inputs": [{"name": "x", "datatype": "INT32",
         "shape": [2, 10], "data": %s}], "outputs": [{"name": "default"}]}"""
        .formatted(rows)));

    assertThat(answer.get("outputs")).hasSize(1);
    assertThat(answer.at("/outputs/0/name").asText()).isEqualTo("default");
    assertThat(answer.has("id")).isFalse();
  }

  /** One error row: the request, the status, and a part of the message. */
  private record Row(String method, String path, String body, int status, String message) {
  }

  @Test
  void answersEveryErrorAsJsonWithTheProtocolsStatus() {
    String sum = "/v2/models/" + V2Apps.SUM;
    List<Row> rows = List.of(
        new Row("POST", sum + "/infer", tensor("BYTES", "[1]", "[\"a\"]", ""), 400,
            "input 'x': model v2-sum takes FP64 (or FP32, or an integer type), not BYTES"),
        new Row("POST", sum + "/infer", tensor("FP16", "[1, 1]", "[1]", ""), 400,
            "input 'x': model v2-sum takes FP64"),
        new Row("POST", sum + "/infer", tensor("FP42", "[1, 1]", "[1]", ""), 400,
            "unknown datatype FP42"),
        new Row("POST", sum + "/infer", tensor("FP64", "[2, 3]", "[1, 2, 3]", ""), 400,
            "holds 3 elements, its shape [2, 3] needs 6"),
        new Row("POST", sum + "/infer", tensor("FP64", "[2, 2]", "[[1, 2], [3]]", ""), 400,
            "does not follow its shape [2, 2] at depth 1"),
        new Row("POST", sum + "/infer", tensor("FP64", "[3]", "[1, 2, 3]", ""), 400,
            "has no row dimension to batch"),
        new Row("POST", sum + "/infer", tensor("FP64", "[1, 1]", "[\"one\"]", ""), 400,
            "\"one\" is not a number, as FP64 elements are"),
        new Row("POST", sum + "/infer", tensor("INT32", "[1, 1]", "[4294967296]", ""), 400,
            "4294967296 is not a valid INT32"),
        new Row("POST", sum + "/infer", tensor("FP64", "\"[1]\"", "[1]", ""), 400,
            "input 'x' needs a shape, an array of integers"),
        new Row("POST", sum + "/infer", "{\"inputs\": []}", 400,
            "inputs must be a non-empty array of tensors"),
        new Row("POST", sum + "/infer", "{\"inputs\": [", 400, "the body is not JSON"),
        new Row("POST", sum + "/infer", "", 400, "the body must be a JSON object"),
        new Row("POST", sum + "/infer", tensor("FP64", "[1, 1]", "[1]",
            "\"parameters\": {\"uid\": \"me\"},"), 400, "parameter uid must be an integer"),
        new Row("POST", sum + "/infer", tensor("FP64", "[1, 1]", "[1]",
            "\"parameters\": {\"timeout\": 0},"), 400, "parameter timeout must be a positive"),
        new Row("POST", sum + "/infer", tensor("FP64", "[1, 1]", "[1]",
            "\"outputs\": [{\"name\": \"probabilities\"}],"), 400,
            "model v2-sum has no output 'probabilities'"),
        new Row("POST", sum + "/infer", """
            {"inputs": [{"name": "a", "datatype": "FP64", "shape": [1, 1], "data": [1]},
             {"name": "b", "datatype": "FP64", "shape": [1, 1], "data": [1]}]}""", 400,
            "model v2-sum takes one input tensor, not 2"),
        new Row("POST", sum + "/infer", """
            {"inputs": [{"name": "x", "datatype": "FP64", "shape": [1, 1], "data": [],
             "parameters": {"binary_data_size": 8}}]}""", 400,
            "the binary tensor data extension is not supported"),
        new Row("POST", "/v2/models/nope/infer", tensor("FP64", "[1, 1]", "[1]", ""), 404,
            "unknown model: nope"),
        new Row("POST", sum + "/versions/9/infer", tensor("FP64", "[1, 1]", "[1]", ""), 404,
            "Requested version: 9 does not exist for model: sum"),
        new Row("GET", "/v2/models/nope", null, 404, "unknown model: nope"),
        new Row("GET", "/v2/models/nope/ready", null, 404, "unknown model: nope"),
        new Row("GET", sum + "/versions/9", null, 404, "Requested version: 9"),
        new Row("GET", sum + "/versions/9/ready", null, 404, "Requested version: 9"),
        new Row("GET", sum + "/stats", null, 404, "no route for GET /v2/models/v2-sum/stats"),
        new Row("GET", sum + "/infer", null, 405, "use POST for /v2/models/v2-sum/infer"),
        new Row("POST", "/v2/health/live", "{}", 405, "use GET for /v2/health/live"));

    for (Row row : rows) {
      Answer answer = row.method().equals("GET") ? stack.queries.get(row.path())
          : stack.queries.post(row.path(), row.body());
      assertThat(answer.status()).as(row + " -> " + answer.body()).isEqualTo(row.status());
      assertThat(answer.json()).as(answer.body()).isNotNull();
      assertThat(answer.json().size()).as(answer.body()).isEqualTo(1);
      assertThat(answer.json().get("error").asText()).as(row.toString())
          .contains(row.message());
    }
    ok(infer(V2Apps.SUM, tensor("FP64", "[1, 1]", "[1]", "")));  // still serving
  }

  @Test
  void refusesABodyOverTheLimitWith413() {
    String huge = tensor("FP64", "[1, 1]", "[1]", "\"id\": \"" + "x".repeat(9 << 20) + "\",");

    Answer answer = infer(V2Apps.SUM, huge);

    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.json().get("error").asText())
        .contains("spring.http.codecs.max-in-memory-size");
  }

  @Test
  void answers503WithRetryAfterWhenTheModelsQueueIsFull() throws Exception {
    try (ServiceProcess small = stack.startFrontend(ai.clipper.metadata.localredis.LocalRedis
        .freePort(), "--clipper.frontend.batching.max-queued-per-model=1")) {
      HttpJson queries = new HttpJson(small.url());
      await().atMost(Duration.ofSeconds(10)).until(() -> V2Apps.SLO_MISSED.equals(queries
          .post("/" + V2Apps.SLOW + "/predict", "{\"input\": [" + FRESH.getAndIncrement() + "]}")
          .json().path("default_explanation").asText()));
      List<String> batch = IntStream.range(0, 20)
          .mapToObj(i -> "[" + FRESH.getAndIncrement() + "]").toList();

      // The long SLO: admission control admits the queries, so the queue fills.
      Answer answer = queries.post("/v2/models/" + V2Apps.SLOW_LONG_SLO + "/infer",
          tensor("FP64", "[20, 1]", batch.toString(), ""));

      assertThat(answer.status()).as(answer.body()).isEqualTo(503);
      assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(answer.json().get("error").asText()).contains("queries are already waiting");
    }
  }
}
