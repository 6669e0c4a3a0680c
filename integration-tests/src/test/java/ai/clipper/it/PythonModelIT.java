package ai.clipper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.clipper.it.HttpJson.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Predictions through a Python model container (examples/models/python-sum), as launched. */
class PythonModelIT {

  @RegisterExtension
  static final ClipperStack stack = ClipperStack.builder()
      .requires(() -> Python.canImport("grpc", "google.protobuf"),
          "skipping Python model IT: " + Python.INTERPRETER
          + " cannot import grpc (apt-get install python3-grpcio python3-protobuf)")
      .build();

  @Test
  void predictsThroughALaunchedPythonModelSinglyAndInBatches() {
    stack.admin.ok("/admin/add_app", """
        {"name": "py-app", "input_type": "doubles", "default_output": "-1",
         "latency_slo_micros": 1000000}""");
    stack.admin.ok("/admin/add_model", """
        {"model_name": "pysum", "model_version": "1", "labels": [], "input_type": "doubles",
         "container_name": "python-sum", "model_data_path": "DEPRECATED", "batch_size": -1}""");
    stack.admin.ok("/admin/add_model_links",
        "{\"app_name\": \"py-app\", \"model_names\": [\"pysum\"]}");

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> {
          JsonNode answer = predict("{\"input\": [1, 2, 3]}");
          assertThat(answer.get("default").asBoolean()).as(answer.toString()).isFalse();
          assertThat(answer.get("output").toString()).isEqualTo("6");
        });

    JsonNode batch = predict("{\"input_batch\": [[1], [1, 1], [1.5, 1.5, 1]]}");
    assertThat(batch.get("batch_predictions")).hasSize(3);
    assertThat(batch.get("batch_predictions").findValuesAsText("output"))
        .containsExactly("1", "2", "4");
    assertThat(batch.get("batch_predictions").findValues("default"))
        .allSatisfy(flag -> assertThat(flag.asBoolean()).isFalse());
  }

  private static JsonNode predict(String body) {
    Answer answer = stack.queries.post("/py-app/predict", body);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer.json();
  }
}
