package ai.clipper.management.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.management.AdminClient.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Links, unlinks, model additions and version changes racing from several threads: whatever
 * order they land in, no app ends linked to a model with a version of another input type. Each
 * round starts its calls together on a latch, and its link (or its add_model) after a number of
 * reads that differs from round to round, so that across the rounds each lands at every point of
 * the other, between its checks and its write too.
 */
class ConcurrentLinksTest extends RunningService {

  private static final int ROUNDS = 120;
  private static final int OTHER_APPS = 100;
  /** The most reads before the link or the add, so that each lands at every point of the other. */
  private static final int STAGGER = 30;
  private static final List<String> TYPES = List.of("ints", "doubles");

  private final ExecutorService threads = Executors.newFixedThreadPool(8);
  private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();

  @AfterEach
  void stop() throws InterruptedException {
    threads.shutdownNow();
    threads.awaitTermination(10, TimeUnit.SECONDS);
  }

  @Test
  void neverLeavesAnAppLinkedToAModelOfAnotherInputType() throws Exception {
    Map<String, String> appOfType = Map.of("ints", unique("ints-app"), "doubles",
        unique("doubles-app"));
    appOfType.forEach(this::addApp);
    // more apps, listed after those two: an add_model that checks the apps one by one before it
    // writes takes a while, as in a deployment with many apps
    for (int i = 0; i < OTHER_APPS; i++) {
      addApp(TYPES.get(i % 2), unique("zz-app"));
    }
    List<String> models = new ArrayList<>();

    for (int r = 0; r < ROUNDS; r++) {
      int round = r;
      String type = TYPES.get(round % 2);
      String other = TYPES.get((round + 1) % 2);
      String model = unique("model");
      String previous = models.isEmpty() ? model : models.get(models.size() - 1);
      models.add(model);
      assertThat(addModel(model, "1", type).status()).isEqualTo(200);
      // every other pair of rounds the link starts late, else the add, by a growing number of reads
      int reads = round / 4 % STAGGER;
      boolean linkLate = round / 2 % 2 == 0;
      race(Map.of(
          "link fitting", () -> afterReads(linkLate ? reads : 0, appOfType.get(type),
              () -> link(appOfType.get(type), model)),
          "add other type", () -> afterReads(linkLate ? 0 : reads, appOfType.get(type),
              () -> addModel(model, "2", other)),
          "link other", () -> link(appOfType.get(other), model),
          "set version", () -> admin.post("/admin/set_model_version",
              "{'model_name':'" + model + "','model_version':'2'}"),
          "unlink previous", () -> admin.post("/admin/delete_model_links",
              "{'app_name':'" + appOfType.get(other) + "','model_names':['" + previous + "']}"),
          "add to previous", () -> addModel(previous, "3", type)));
      // after every round, as a later unlink could hide what this one left
      assertLinkedModelsHaveTheirAppsInputType(appOfType, List.of(previous, model));
    }

    assertLinkedModelsHaveTheirAppsInputType(appOfType, models);
    // the calls did contend: both sides of the link/add race won some rounds
    assertThat(outcomes).containsKeys("link fitting 200", "add other type 200");
  }

  private void assertLinkedModelsHaveTheirAppsInputType(Map<String, String> appOfType,
      List<String> models) {
    appOfType.forEach((type, app) -> {
      for (String linked : admin.post("/admin/get_linked_models", "{'app_name':'" + app + "'}")
          .body().valueStream().map(node -> node.asString()).filter(models::contains).toList()) {
        assertThat(versionTypes(linked)).as("input types of %s, linked to %s (%s)", linked, app,
            type).containsOnly(type);
      }
    });
  }

  private void race(Map<String, Callable<Answer>> calls) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    Map<String, Future<Answer>> answers = new ConcurrentHashMap<>();
    calls.forEach((name, call) -> answers.put(name, threads.submit(() -> {
      start.await();
      return call.call();
    })));
    start.countDown();
    for (Map.Entry<String, Future<Answer>> answer : answers.entrySet()) {
      Answer done = answer.getValue().get(30, TimeUnit.SECONDS);
      assertThat(done.status()).as("%s: %s", answer.getKey(), done.body()).isIn(200, 404, 409);
      outcomes.computeIfAbsent(answer.getKey() + " " + done.status(), key -> new AtomicInteger())
          .incrementAndGet();
    }
  }

  private List<String> versionTypes(String model) {
    List<String> types = new ArrayList<>();
    for (String version : List.of("1", "2", "3")) {
      Answer shown = admin.post("/admin/get_model",
          "{'model_name':'" + model + "','model_version':'" + version + "'}");
      if (shown.body().has("input_type")) {
        types.add(shown.body().get("input_type").asString());
      }
    }
    return types;
  }

  private void addApp(String type, String name) {
    assertThat(admin.post("/admin/add_app", "{'name':'" + name + "','input_type':'" + type
        + "','default_output':'-1','latency_slo_micros':100000}").status()).isEqualTo(200);
  }

  private Answer addModel(String name, String version, String type) {
    return admin.post("/admin/add_model", "{'model_name':'" + name + "','model_version':'"
        + version + "','labels':['a'],'input_type':'" + type + "','container_name':'NO_CONTAINER',"
        + "'model_data_path':'DEPRECATED','batch_size':-1}");
  }

  /** Calls after {@code reads} reads of the app's links: a start that varies, with no sleep. */
  private Answer afterReads(int reads, String app, Callable<Answer> call) throws Exception {
    for (int i = 0; i < reads; i++) {
      admin.post("/admin/get_linked_models", "{'app_name':'" + app + "'}");
    }
    return call.call();
  }

  private Answer link(String app, String model) {
    return admin.post("/admin/add_model_links",
        "{'app_name':'" + app + "','model_names':['" + model + "']}");
  }
}
