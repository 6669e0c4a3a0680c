package ai.clipper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A user serves their own models as the README and docs/sdk.md say, from a directory outside the repository:
 * trains them in Python, deploys them with {@code ClipperClient} (which uploads the artifact; a
 * framework runtime fetches, checks and serves it), links them, and gets their predictions over
 * {@code /{app}/predict} and V2. One stack for the class; the tests run in order, as a user's
 * session would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployOwnModelIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SDK = Path.of(System.getProperty("clipper.root", ".."),
      "model-container-sdk", "python").toAbsolutePath().normalize();
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  @RegisterExtension
  static final ClipperStack stack = ClipperStack.builder()
      .requires(() -> Python.canImport("grpc", "google.protobuf", "numpy", "sklearn",
              "cloudpickle"),
          "skipping: " + Python.INTERPRETER + " cannot import grpc, numpy, sklearn and cloudpickle"
              + " (apt-get install python3-grpcio python3-protobuf python3-sklearn"
              + " python3-cloudpickle)")
      .build();
  private static Path workDir;

  @BeforeAll
  static void createTheUsersDirectory() throws IOException {
    workDir = Files.createTempDirectory("my-models");
  }

  @Test
  @Order(1)
  void aScikitLearnModelTrainedAndDeployedFromPythonAnswersOverPredictAndV2() throws Exception {
    JsonNode run = python("""
        from sklearn.datasets import load_iris
        from sklearn.linear_model import LogisticRegression
        X, y = load_iris(return_X_y=True)
        model = LogisticRegression(max_iter=500).fit(X, y)
        client.register_application("iris", input_type="doubles", default_output="-1",
                                    slo_micros=500000)
        digest = client.deploy_model("iris-lr", "1", "doubles", model, sample_input=X[0].tolist())
        client.link_model_to_app("iris", "iris-lr")
        out({"inputs": X[::30].tolist(), "expected": model.predict(X[::30]).tolist(),
             "digest": digest, "threes": [X[i:i + 3].tolist() for i in range(0, 150, 3)]})
        """);

    // the cold start: right after the deploy returns, no query gets the default (500 ms SLO)
    JsonNode threes = run.get("threes");
    for (int i = 0; i < 200; i++) {
      assertThat(predictions("iris", threes.get(i % threes.size()))).hasSize(3);
    }
    List<String> expected = texts(run.get("expected"));
    assertThat(predictions("iris", run.get("inputs"))).isEqualTo(expected);
    JsonNode v2 = stack.queries.post("/v2/models/iris/infer", """
        {"inputs": [{"name": "x", "datatype": "FP64", "shape": [%d, 4], "data": %s}]}"""
        .formatted(run.get("inputs").size(), run.get("inputs"))).json();
    assertThat(texts(v2.path("outputs").get(0).path("data"))).isEqualTo(expected);
  }

  @Test
  @Order(2)
  void twoReplicasServeTheSameArtifact() throws Exception {
    python("""
        client.set_num_replicas("iris-lr", "1", 2)
        """);
    await().atMost(PATIENCE).until(() -> upReplicas("iris-lr", "1") == 2);
    JsonNode replicas = stack.admin.ok("/admin/get_replicas",
        "{\"model_name\": \"iris-lr\", \"model_version\": \"1\"}");
    assertThat(replicas.findValuesAsText("status")).containsExactly("UP", "UP");
  }

  @Test
  @Order(3)
  void aSecondVersionRollsForwardAndBackAndDeletingItDeletesItsArtifact() throws Exception {
    JsonNode run = python("""
        from sklearn.datasets import load_iris
        from sklearn.tree import DecisionTreeClassifier
        X, y = load_iris(return_X_y=True)
        constant = DecisionTreeClassifier(max_depth=1).fit(X, [7] * len(y))
        digest = client.deploy_model("iris-lr", "2", "doubles", constant)
        client.set_model_version("iris-lr", "2")
        out({"digest": digest})
        """);
    List<Double> row = List.of(5.1, 3.5, 1.4, 0.2);
    await().atMost(PATIENCE).until(() -> predict("iris", row).equals("7"));

    stack.admin.ok("/admin/set_model_version",
        "{\"model_name\": \"iris-lr\", \"model_version\": \"1\"}");
    await().atMost(PATIENCE).until(() -> predict("iris", row).equals("0"));

    stack.admin.ok("/admin/delete_versioned_model",
        "{\"model_name\": \"iris-lr\", \"model_version\": \"2\"}");
    assertThat(stack.admin.get("/admin/artifacts/" + run.get("digest").asText()).status())
        .isEqualTo(404);
  }

  @Test
  @Order(4)
  void aPythonClosureIsDeployedWithOneCall() throws Exception {
    python("""
        client.register_application("summer", input_type="doubles", default_output="-1",
                                    slo_micros=2000000)
        client.deploy_python_closure("summer", "1", "doubles",
                                     lambda xs: [str(float(sum(x))) for x in xs])
        client.link_model_to_app("summer", "summer")
        """);
    // the link reaches the frontends a moment after the call returns (they follow the metadata)
    await().atMost(PATIENCE).untilAsserted(() ->
        assertThat(predict("summer", List.of(1.0, 2.0, 3.5))).isEqualTo("6.5"));
  }

  @Test
  @Order(5)
  void anXgboostBoosterATorchScriptModuleAndAJavaJarAreDeployedTheSameWay() throws Exception {
    Assumptions.assumeTrue(Python.canImport("xgboost", "torch"),
        "skipping: " + Python.INTERPRETER + " cannot import xgboost and torch");
    Path jar = Path.of(System.getProperty("clipper.root", ".."), "examples", "target",
        "clipper-examples.jar").toAbsolutePath().normalize();
    python("""
        import numpy, torch, xgboost
        X = numpy.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0], [3.0, 1.0]] * 10)
        booster = xgboost.train({"max_depth": 2}, xgboost.DMatrix(X, label=X.sum(axis=1)), 20)
        class Double(torch.nn.Module):
            def forward(self, x):
                return x * 2
        for name, model in (("boosted", booster), ("doubled", torch.jit.script(Double()))):
            client.register_application(name, input_type="doubles", default_output="-1",
                                        slo_micros=2000000)
            client.deploy_model(name, "1", "doubles", model)
            client.link_model_to_app(name, name)
        client.register_application("jarred", input_type="doubles", default_output="-1",
                                    slo_micros=2000000)
        client.deploy_file("jarred", "1", "doubles", sys.argv[2], framework="java",
                           env={"MODEL_CLASS": "ai.clipper.examples.SumModel"})
        client.link_model_to_app("jarred", "jarred")
        """, jar.toString());

    assertThat(Double.parseDouble(predict("boosted", List.of(2.0, 2.0)))).isBetween(3.0, 5.0);
    assertThat(predict("doubled", List.of(1.5, -2.0))).isEqualTo("[3.0,-4.0]");
    assertThat(predict("jarred", List.of(1.0, 2.0, 3.5))).isEqualTo("6.5");
  }

  @Test
  @Order(6)
  void aModelThatCannotLoadFailsTheDeployWithItsOwnErrorAndOthersKeepServing()
      throws Exception {
    JsonNode run = python("""
        from clipper_client import DeployError
        try:
            client.deploy_file("broken", "1", "doubles", write("broken.pkl", b"not a pickle"),
                               timeout=60)
            out({"error": None})
        except DeployError as error:
            out({"error": str(error)})
        """);
    assertThat(run.get("error").asText()).contains("Cannot load");
    assertThat(predict("summer", List.of(1.0, 1.0))).isEqualTo("2.0");
  }

  @Test
  @Order(7)
  void everyDeployedModelStillServesAfterTheManagementServiceIsKilledAndRestarted()
      throws Exception {
    stack.killAndRestartManagement();
    // Its replicas may have gone with it: restarted from the stored artifacts, they answer again.
    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
        .until(() -> predict("iris", List.of(5.1, 3.5, 1.4, 0.2)).equals("0")
            && predict("summer", List.of(2.0)).equals("2.0"));
  }

  /** Runs {@code body} with a {@code client} for the stack, in the user's directory. */
  private static JsonNode python(String body, String... args) throws IOException {
    Path script = workDir.resolve("step.py");
    Files.writeString(script, """
        import json, os, sys
        from clipper_client import ClipperClient
        client = ClipperClient(sys.argv[1])
        def out(value):
            print(json.dumps(value))
        def write(name, data):
            with open(name, "wb") as f:
                f.write(data)
            return os.path.abspath(name)
        """ + body);
    List<String> command = new ArrayList<>(List.of("env", "PYTHONPATH=" + SDK,
        Python.INTERPRETER, script.toString(), stack.management.url()));
    command.addAll(List.of(args));
    String output = Python.output(300, workDir, command);
    List<String> lines = output.lines().filter(line -> line.startsWith("{")).toList();
    return lines.isEmpty() ? JSON.nullNode() : JSON.readTree(lines.get(lines.size() - 1));
  }

  private static List<String> predictions(String app, JsonNode inputs) {
    JsonNode answer = stack.queries.post("/" + app + "/predict",
        "{\"input_batch\": " + inputs + "}").json();
    List<String> outputs = new ArrayList<>();
    for (JsonNode prediction : answer.get("batch_predictions")) {
      assertThat(prediction.get("default").asBoolean()).as(prediction.toString()).isFalse();
      outputs.add(prediction.get("output").asText());
    }
    return outputs;
  }

  private static String predict(String app, List<Double> input) {
    JsonNode answer = stack.queries.post("/" + app + "/predict", "{\"input\": " + input + "}")
        .json();
    if (answer == null || answer.path("default").asBoolean(true)) {
      return "default" + (answer == null ? "" : ": " + answer.path("default_explanation").asText());
    }
    JsonNode output = answer.get("output");
    return output.isValueNode() ? output.asText() : output.toString();
  }

  private static long upReplicas(String model, String version) {
    return stack.admin.ok("/admin/get_replicas",
            "{\"model_name\": \"%s\", \"model_version\": \"%s\"}".formatted(model, version)).findValuesAsText("status").stream()
        .filter("UP"::equals).count();
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(value -> texts.add(value.asText()));
    return texts;
  }
}
