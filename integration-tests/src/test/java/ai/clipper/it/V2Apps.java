package ai.clipper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The apps the V2 tests query, one per input type plus a slow model behind a short and a long
 * SLO, deployed through the admin API and awaited until each answers from its model.
 */
final class V2Apps {

  /** doubles, java-sum: the sum of each row. */
  static final String SUM = "v2-sum";
  /** floats, ints and strings apps on java-echo: each row answered as it arrived. */
  static final String FLOATS = "v2-floats";
  static final String INTS = "v2-ints";
  static final String STRINGS = "v2-strings";
  /** java-sleep taking 1 s, behind a 100 ms SLO (always the default) and a 5 s one. */
  static final String SLOW = "v2-slow";
  static final String SLOW_LONG_SLO = "v2-slow-long";
  /** No model linked: never ready. */
  static final String UNLINKED = "v2-unlinked";

  static final String SLO_MISSED =
      "Failed to retrieve a prediction response within the specified latency SLO";

  private V2Apps() {
  }

  static void deploy(ClipperStack stack) {
    stack.deploy(SUM, "doubles", 5_000_000, "sum", "java-sum", "{}");
    stack.deploy(FLOATS, "floats", 5_000_000, "echo-floats", "java-echo", "{}");
    stack.deploy(INTS, "ints", 5_000_000, "echo-ints", "java-echo", "{}");
    stack.deploy(STRINGS, "strings", 5_000_000, "echo-strings", "java-echo", "{}");
    stack.deploy(SLOW, "doubles", 100_000, "slow", "java-sleep",
        "{\"SLEEP_FIXED_MS\": \"1000\"}");
    addApp(stack, SLOW_LONG_SLO, "doubles", 5_000_000);
    stack.admin.ok("/admin/add_model_links",
        "{\"app_name\": \"%s\", \"model_names\": [\"slow\"]}".formatted(SLOW_LONG_SLO));
    addApp(stack, UNLINKED, "doubles", 100_000);

    for (var app : List.of(List.of(SUM, "[1]"), List.of(FLOATS, "[1]"), List.of(INTS, "[1]"),
        List.of(STRINGS, "\"a\""), List.of(SLOW_LONG_SLO, "[1]"))) {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
          !predict(stack, app.get(0), "{\"input\": " + app.get(1) + "}").path("default")
              .asBoolean(true));
    }
  }

  static JsonNode predict(ClipperStack stack, String app, String body) {
    return stack.queries.ok("/" + app + "/predict", body);
  }

  /**
   * The outputs /{app}/predict gives {@code rows} (JSON rows), each as the model's string: what a
   * V2 answer of the same rows must hold.
   */
  static List<String> predicted(ClipperStack stack, String app, List<String> rows) {
    JsonNode batch = predict(stack, app, "{\"input_batch\": " + rows + "}")
        .get("batch_predictions");
    List<String> outputs = new ArrayList<>();
    batch.forEach(p -> {
      assertThat(p.get("default").asBoolean()).as(p.toString()).isFalse();
      JsonNode output = p.get("output");
      outputs.add(output.isTextual() ? output.asText() : output.toString());
    });
    return outputs;
  }

  private static void addApp(ClipperStack stack, String app, String type, long sloMicros) {
    stack.admin.ok("/admin/add_app", """
        {"name": "%s", "input_type": "%s", "default_output": "-1",
         "latency_slo_micros": %d}""".formatted(app, type, sloMicros));
  }
}
