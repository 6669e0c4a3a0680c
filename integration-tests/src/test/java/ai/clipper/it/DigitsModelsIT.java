package ai.clipper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.clipper.it.HttpJson.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The digits models (examples/models/digits-*) as launched by the process launcher, through the
 * whole stack, on the test images they never trained on: accuracy, batches, the degradation
 * switch and per-uid selection between a model and its twin trained on permuted labels. The
 * models are trained (or found in the cache) before they are deployed, so replicas load at once.
 */
class DigitsModelsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DIGITS = Path.of(System.getProperty("clipper.root", ".."),
      "examples", "digits", "digits").toAbsolutePath().normalize();
  /** How far below its offline accuracy (360 test images) a model may answer 50 of them. */
  private static final double MARGIN = 0.06;
  private static final long SLO_MICROS = 2_000_000;
  private static final int DEGRADE_AFTER = 30;
  private static final String NO_MODEL = "No connected models found for query";
  private static final Map<String, String> FRAMEWORK = Map.of("cnn", "torch", "xgboost",
      "xgboost");

  private static final List<String> DEPLOYED = new ArrayList<>();

  @RegisterExtension
  static final ClipperStack stack = ClipperStack.builder()
      .requires(() -> Python.canImport("grpc", "google.protobuf", "numpy", "sklearn"),
          "skipping digits IT: " + Python.INTERPRETER + " cannot import grpc, numpy and sklearn"
              + " (apt-get install python3-grpcio python3-protobuf python3-numpy python3-sklearn)")
      .build();
  private static JsonNode offline;
  private static List<String> images;
  private static int[] labels;

  @BeforeAll
  static void trainAndDeployTheModels() throws Exception {
    List<String> kinds = new ArrayList<>(List.of("logreg", "linear-svm", "kernel-svm", "forest"));
    FRAMEWORK.forEach((kind, module) -> {
      if (Python.canImport(module)) {
        kinds.add(kind);
      }
    });
    List<String> train = new ArrayList<>(List.of(DIGITS.toString(), "train", "--json"));
    train.addAll(kinds);
    offline = JSON.readTree(Python.output(600, train));
    JsonNode testSet = JSON.readTree(Python.output(60, List.of(DIGITS.toString(), "test-set")));
    images = new ArrayList<>();
    testSet.get("images").forEach(image -> images.add(image.toString()));
    labels = IntStream.range(0, testSet.get("labels").size())
        .map(i -> testSet.get("labels").get(i).asInt()).toArray();

    for (String kind : kinds) {
      deploy("digits-" + kind, "digits-" + kind, "{}", 0);
    }
    // the whole batch must be queued before the replica takes it: hold partial batches 50 ms
    deploy("batched", "digits-logreg", "{}", 50_000);
    deploy("degrading", "digits-logreg",
        "{\"DEGRADE_AFTER\": \"%d\", \"DEGRADE_RATE\": \"0.5\"}".formatted(DEGRADE_AFTER), 0);
    deploy("permuted", "digits-logreg-permuted", "{}", 0);
    for (String model : DEPLOYED) {
      await().atMost(Duration.ofSeconds(90)).until(() -> stack.upReplicas(model, "1") == 1);
    }
  }

  @ParameterizedTest(name = "digits-{0}")
  @ValueSource(strings = {"logreg", "linear-svm", "kernel-svm", "forest", "cnn", "xgboost"})
  void eachModelAnswersTestImagesAsAccuratelyAsOffline(String kind) {
    String framework = FRAMEWORK.get(kind);
    Assumptions.assumeTrue(framework == null || Python.canImport(framework),
        "skipping digits-" + kind + ": " + Python.INTERPRETER + " cannot import " + framework);
    String app = "digits-" + kind;

    List<String> answers = IntStream.range(0, 50).mapToObj(i -> answer(app, i)).toList();

    long right = IntStream.range(0, 50)
        .filter(i -> answers.get(i).equals(Integer.toString(labels[i]))).count();
    double accuracy = offline.get(app).get("test_accuracy").asDouble();
    System.out.printf("%s: %d of 50 test images right through the stack; offline %.4f%n", app,
        right, accuracy);
    assertThat(answers).allMatch(a -> a.matches("[0-9]"));
    assertThat(right / 50.0).isGreaterThanOrEqualTo(accuracy - MARGIN);
  }

  @Test
  void aBatchOf32ImagesAnswers32DigitsInOrderInOneModelCall() {
    List<String> singly = IntStream.range(0, 32).mapToObj(i -> answer("batched", i)).toList();
    // AIMD starts at batch size 1 and grows by 1 after each full batch (with each of the
    // batches a replica keeps in flight): big input_batches until its batches hold 32
    double[] before = batchSizeCountAndSum("batched");
    for (int round = 0; round < 20; round++) {
      predict("batched", "{\"input_batch\": [%s]}".formatted(String.join(", ", images)));
      double[] now = batchSizeCountAndSum("batched");
      double mean = (now[1] - before[1]) / (now[0] - before[0]);
      before = now;
      if (mean >= 40) {
        break;
      }
    }

    JsonNode batch = predict("batched",
        "{\"input_batch\": [%s]}".formatted(String.join(", ", images.subList(0, 32))));

    double[] after = batchSizeCountAndSum("batched");
    JsonNode predictions = batch.get("batch_predictions");
    assertThat(predictions).hasSize(32);
    assertThat(predictions.findValues("default")).allMatch(flag -> !flag.asBoolean());
    assertThat(predictions.findValuesAsText("output")).containsExactlyElementsOf(singly);
    assertThat(after[0] - before[0]).as("model calls").isEqualTo(1);
    assertThat(after[1] - before[1]).as("inputs in that call").isEqualTo(32);
  }

  @Test
  void aDegradingModelAnswersRightUntilDegradeAfterThenHalfWrong() {
    int n = DEGRADE_AFTER + 40;
    List<String> right = IntStream.range(0, n).mapToObj(i -> answer("digits-logreg", i)).toList();

    List<String> degraded = IntStream.range(0, n).mapToObj(i -> answer("degrading", i)).toList();

    assertThat(degraded.subList(0, DEGRADE_AFTER))
        .containsExactlyElementsOf(right.subList(0, DEGRADE_AFTER));
    List<Integer> wrong = IntStream.range(DEGRADE_AFTER, n)
        .filter(i -> !degraded.get(i).equals(right.get(i))).boxed().toList();
    assertThat(wrong).hasSize(20);
    assertThat(wrong).allSatisfy(i -> assertThat(Integer.parseInt(degraded.get(i)))
        .isEqualTo((Integer.parseInt(right.get(i)) + 1) % 10));
  }

  @Test
  void perUidExp3LearnsWhichUsersLabelDigitsThePermutedWay() {
    stack.admin.ok("/admin/add_app", """
        {"name": "personal", "input_type": "doubles", "default_output": "-1",
         "latency_slo_micros": %d}""".formatted(SLO_MICROS));
    stack.admin.ok("/admin/add_model_links",
        "{\"app_name\": \"personal\", \"model_names\": [\"digits-logreg\", \"permuted\"]}");
    stack.admin.ok("/admin/set_selection_policy",
        "{\"app_name\": \"personal\", \"policy\": \"exp3\", \"params\": {}}");
    int[] permutation = "7390814265".chars().map(c -> c - '0').toArray();
    await().atMost(Duration.ofSeconds(10)).until(() -> predict("personal",
        "{\"uid\": 1, \"input\": %s}".formatted(images.get(0))).has("model"));

    // uid 1 labels digits as they are, uid 2 by the permutation; 100 rounds each
    for (int round = 0; round < 200; round++) {
      int uid = 1 + round % 2;
      int image = round / 2;
      int label = uid == 1 ? labels[image] : permutation[labels[image]];
      predict("personal", "{\"uid\": %d, \"input\": %s}".formatted(uid, images.get(image)));
      stack.queries.ok("/personal/update", "{\"uid\": %d, \"input\": %s, \"label\": %d}"
          .formatted(uid, images.get(image), label));
    }

    double plainForUid1 = servedShare(1, "digits-logreg:1");
    double permutedForUid2 = servedShare(2, "permuted:1");
    System.out.printf("personal: uid 1 served by digits-logreg %.2f, uid 2 by permuted %.2f%n",
        plainForUid1, permutedForUid2);
    assertThat(plainForUid1).isGreaterThanOrEqualTo(0.85);
    assertThat(permutedForUid2).isGreaterThanOrEqualTo(0.85);
  }

  /** The share of 100 test images (after the trained ones) that {@code model} answered. */
  private static double servedShare(int uid, String model) {
    return IntStream.range(100, 200).filter(i -> model.equals(predict("personal",
        "{\"uid\": %d, \"input\": %s}".formatted(uid, images.get(i))).path("model").asText()))
        .count() / 100.0;
  }

  /** The app's answer to test image {@code i}, once a replica is connected; never a default. */
  private static String answer(String app, int i) {
    String body = "{\"input\": %s}".formatted(images.get(i));
    JsonNode answer = predict(app, body);
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (NO_MODEL.equals(answer.path("default_explanation").asText())
        && System.nanoTime() < end) {
      answer = predict(app, body);
    }
    assertThat(answer.get("default").asBoolean()).as(answer.toString()).isFalse();
    return answer.get("output").asText();
  }

  private static JsonNode predict(String app, String body) {
    Answer answer = stack.queries.post("/" + app + "/predict", body);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer.json();
  }

  /** The frontend's {@code clipper_batch_size} count (model calls) and sum (inputs) for it. */
  private static double[] batchSizeCountAndSum(String model) {
    String metrics = stack.queries.get("/actuator/prometheus").body();
    return new double[] {metric(metrics, "clipper_batch_size_count", model),
        metric(metrics, "clipper_batch_size_sum", model)};
  }

  private static double metric(String metrics, String name, String model) {
    Matcher found = Pattern.compile(Pattern.quote(name) + "\\{[^}]*model=\"" + model
        + ":1\"[^}]*} (\\S+)").matcher(metrics);
    assertThat(found.find()).as(name + " of " + model).isTrue();
    return Double.parseDouble(found.group(1));
  }

  /** An app of the same name on a model launched from {@code container}, cache off. */
  private static void deploy(String name, String container, String env, long batchWaitMicros) {
    stack.admin.ok("/admin/add_app", """
        {"name": "%s", "input_type": "doubles", "default_output": "-1",
         "latency_slo_micros": %d, "cache_enabled": false}""".formatted(name, SLO_MICROS));
    stack.admin.ok("/admin/add_model", """
        {"model_name": "%s", "model_version": "1", "input_type": "doubles",
         "container_name": "%s", "env": %s, "batch_wait_micros": %d}"""
        .formatted(name, container, env, batchWaitMicros));
    stack.admin.ok("/admin/add_model_links",
        "{\"app_name\": \"%s\", \"model_names\": [\"%s\"]}".formatted(name, name));
    DEPLOYED.add(name);
  }
}
