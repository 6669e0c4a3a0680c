package ai.clipper.management.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.management.AdminClient.Answer;
import org.junit.jupiter.api.Test;

/** Each admin endpoint's happy path, answering Clipper's sentences and shapes. */
class AdminApiTest extends RunningService {

  @Test
  void answersPingWithPong() {
    Answer answer = admin.get("/admin/ping");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.message()).isEqualTo("PONG");
  }

  @Test
  void exposesHealthAndPrometheusMetrics() {
    assertThat(admin.get("/actuator/health").body().get("status").asString()).isEqualTo("UP");
    assertThat(admin.get("/actuator/prometheus").status()).isEqualTo(200);
  }

  @Test
  void addsAnAppAndShowsItWithClippersFields() {
    String app = unique("app");

    Answer added = addApp(app, "ints");

    assertThat(added.status()).isEqualTo(200);
    assertThat(added.message()).isEqualTo("Successfully added application with name '" + app + "'");
    Answer shown = admin.post("/admin/get_application", "{'name':'" + app + "'}");
    assertThat(shown.body().toString()).isEqualTo("{\"name\":\"" + app + "\",\"input_type\":\"ints\","
        + "\"default_output\":\"-1\",\"latency_slo_micros\":100000,\"linked_models\":[],"
        + "\"cache_enabled\":true,\"selection_policy\":\"single\",\"policy_params\":{},"
        + "\"overload\":\"default\"}");
  }

  @Test
  void storesAndShowsAnAppThatRejectsWhenOverloaded() {
    String app = unique("app");

    Answer added = admin.post("/admin/add_app", "{'name':'" + app + "','input_type':'doubles',"
        + "'default_output':'-1','latency_slo_micros':1000,'overload':'reject'}");

    assertThat(added.status()).isEqualTo(200);
    Answer shown = admin.post("/admin/get_application", "{'name':'" + app + "'}");
    assertThat(shown.body().get("overload").asString()).isEqualTo("reject");
  }

  @Test
  void rejectsAnUnknownOverloadBehaviour() {
    Answer added = admin.post("/admin/add_app", "{'name':'" + unique("app") + "',"
        + "'input_type':'doubles','default_output':'-1','latency_slo_micros':1000,"
        + "'overload':'drop'}");

    assertThat(added.status()).isEqualTo(400);
    assertThat(added.body().get("cause").asString()).contains("overload", "reject");
  }

  @Test
  void storesAndShowsAnAppThatOptsOutOfTheCache() {
    String app = unique("app");

    Answer added = admin.post("/admin/add_app", "{'name':'" + app + "','input_type':'doubles',"
        + "'default_output':'-1','latency_slo_micros':1000,'cache_enabled':false}");

    assertThat(added.status()).isEqualTo(200);
    Answer shown = admin.post("/admin/get_application", "{'name':'" + app + "'}");
    assertThat(shown.body().get("cache_enabled").asBoolean()).isFalse();
    Answer all = admin.post("/admin/get_all_applications", "{'verbose':true}");
    assertThat(all.body().valueStream()
        .filter(node -> node.path("name").asString().equals(app))
        .map(node -> node.get("cache_enabled").asBoolean()))
        .containsExactly(false);
  }

  @Test
  void readsTheBodyAsJsonWhateverItsContentType() {
    String app = unique("app");

    Answer added = admin.withHeader("Content-Type", "application/x-www-form-urlencoded")
        .post("/admin/add_app", "{'name':'" + app + "','input_type':'doubles',"
            + "'default_output':'-1','latency_slo_micros':1000}");

    assertThat(added.status()).isEqualTo(200);
    assertThat(added.message()).isEqualTo("Successfully added application with name '" + app + "'");
  }

  @Test
  void listsAppsByNameOrVerbosely() {
    String app = unique("app");
    addApp(app, "doubles");

    Answer names = admin.post("/admin/get_all_applications", "{'verbose':false}");
    Answer verbose = admin.post("/admin/get_all_applications", "{'verbose':true}");

    assertThat(names.body().valueStream().map(n -> n.asString())).contains(app);
    assertThat(verbose.body().valueStream().map(n -> n.path("name").asString())).contains(app);
    assertThat(verbose.body().get(0).has("latency_slo_micros")).isTrue();
  }

  @Test
  void answersAnEmptyObjectForAnUnknownApp() {
    Answer shown = admin.post("/admin/get_application", "{'name':'nope'}");

    assertThat(shown.status()).isEqualTo(200);
    assertThat(shown.body().toString()).isEqualTo("{}");
  }

  @Test
  void deletesAnApp() {
    String app = unique("app");
    addApp(app, "doubles");

    Answer deleted = admin.post("/admin/delete_app", "{'name':'" + app + "'}");

    assertThat(deleted.message()).isEqualTo("Successfully deleted application with name '" + app + "'");
    assertThat(admin.post("/admin/get_application", "{'name':'" + app + "'}").body().isEmpty())
        .isTrue();
    Answer again = admin.post("/admin/delete_app", "{'name':'" + app + "'}");
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.cause()).isEqualTo("Application '" + app + "' does not exist");
  }

  @Test
  void answersTheDefaultOutputAsState() {
    String app = unique("app");
    addApp(app, "doubles");

    Answer state = admin.post("/admin/get_state", "{'app_name':'" + app + "','uid':0}");

    assertThat(state.body().asString()).isEqualTo("-1");
  }

  @Test
  void addsAModelAsTheCurrentVersion() {
    String model = unique("model");

    Answer first = addModel(model, "1", "doubles");
    addModel(model, "2", "doubles");

    assertThat(first.message())
        .isEqualTo("Successfully added model with name '" + model + "' and input type 'doubles'");
    Answer v1 = admin.post("/admin/get_model", "{'model_name':'" + model + "','model_version':'1'}");
    Answer v2 = admin.post("/admin/get_model", "{'model_name':'" + model + "','model_version':'2'}");
    assertThat(v1.body().get("is_current_version").asBoolean()).isFalse();
    assertThat(v2.body().get("is_current_version").asBoolean()).isTrue();
    assertThat(v2.body().get("labels").toString()).isEqualTo("[\"a\",\"b\"]");
    assertThat(v2.body().get("container_name").asString()).isEqualTo("NO_CONTAINER");
    assertThat(v2.body().get("num_replicas").asInt()).isZero();
    assertThat(v2.body().get("batch_wait_micros").asLong()).isZero();
  }

  @Test
  void storesTheBatchWaitAndRefusesOneOutOfRange() {
    String model = unique("model");
    String body = "{'model_name':'" + model + "','model_version':'%s','labels':[],"
        + "'input_type':'doubles','container_name':'NO_CONTAINER','model_data_path':'',"
        + "'batch_size':-1,'batch_wait_micros':%d}";

    assertThat(admin.post("/admin/add_model", body.formatted("1", 2_000)).status()).isEqualTo(200);
    Answer tooLong = admin.post("/admin/add_model", body.formatted("2", 1_000_001));
    Answer negative = admin.post("/admin/add_model", body.formatted("3", -1));

    Answer shown = admin.post("/admin/get_model",
        "{'model_name':'" + model + "','model_version':'1'}");
    assertThat(shown.body().get("batch_wait_micros").asLong()).isEqualTo(2_000);
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.cause()).contains("batch_wait_micros");
    assertThat(negative.status()).isEqualTo(400);
  }

  @Test
  void listsModelsAsNameColonVersion() {
    String model = unique("model");
    addModel(model, "7", "doubles");

    Answer names = admin.post("/admin/get_all_models", "{'verbose':false}");
    Answer verbose = admin.post("/admin/get_all_models", "{'verbose':true}");

    assertThat(names.body().valueStream().map(n -> n.asString())).contains(model + ":7");
    assertThat(verbose.body().valueStream().map(n -> n.path("model_name").asString()))
        .contains(model);
  }

  @Test
  void setsTheCurrentVersion() {
    String model = unique("model");
    addModel(model, "1", "doubles");
    addModel(model, "2", "doubles");

    Answer set = admin.post("/admin/set_model_version",
        "{'model_name':'" + model + "','model_version':'1'}");

    assertThat(set.message())
        .isEqualTo("Successfully set model with name '" + model + "' to version '1'");
    Answer missing = admin.post("/admin/set_model_version",
        "{'model_name':'" + model + "','model_version':'9'}");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.cause()).startsWith("Cannot set non-existent version '9'");
  }

  @Test
  void deletingTheCurrentVersionMakesTheNewestRemainingOneCurrent() {
    String model = unique("model");
    addModel(model, "1", "doubles");
    addModel(model, "2", "doubles");

    Answer deleted = admin.post("/admin/delete_versioned_model",
        "{'model_name':'" + model + "','model_version':'2'}");

    assertThat(deleted.message()).isEqualTo(
        "Successfully deleted model with name '" + model + "' and version '2'");
    Answer v1 = admin.post("/admin/get_model", "{'model_name':'" + model + "','model_version':'1'}");
    assertThat(v1.body().get("is_current_version").asBoolean()).isTrue();
  }

  @Test
  void linksAModelToAnAppOnce() {
    String app = unique("app");
    String model = unique("model");
    addApp(app, "doubles");
    addModel(model, "1", "doubles");

    Answer linked = link(app, model);
    Answer again = link(app, model);

    assertThat(linked.message())
        .isEqualTo("Successfully linked model with name '" + model + "' to application '" + app + "'");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.cause())
        .isEqualTo("A model with name " + model + " is already linked to '" + app + "'.");
    assertThat(admin.post("/admin/get_linked_models", "{'app_name':'" + app + "'}").body()
        .toString()).isEqualTo("[\"" + model + "\"]");
  }

  @Test
  void linksSeveralModelsToOneApp() {
    String app = unique("app");
    String first = unique("model");
    String second = unique("model");
    addApp(app, "doubles");
    addModel(first, "1", "doubles");
    addModel(second, "1", "doubles");

    link(app, first);
    Answer linked = link(app, second);

    assertThat(linked.status()).isEqualTo(200);
    Answer shown = admin.post("/admin/get_application", "{'name':'" + app + "'}");
    assertThat(shown.body().get("linked_models")).hasSize(2);
  }

  @Test
  void refusesToLinkAModelOfAnotherInputType() {
    String app = unique("app");
    String model = unique("model");
    addApp(app, "doubles");
    addModel(model, "1", "strings");

    Answer linked = link(app, model);

    assertThat(linked.status()).isEqualTo(409);
    assertThat(linked.cause()).contains("has incompatible input_type strings");
  }

  @Test
  void refusesToLinkAModelThatDoesNotExist() {
    String app = unique("app");
    addApp(app, "doubles");

    Answer linked = link(app, "ghost");

    assertThat(linked.status()).isEqualTo(404);
    assertThat(linked.cause()).isEqualTo("No model with name 'ghost' exists.");
  }

  @Test
  void removesLinks() {
    String app = unique("app");
    String model = unique("model");
    addApp(app, "doubles");
    addModel(model, "1", "doubles");
    link(app, model);

    Answer removed = admin.post("/admin/delete_model_links",
        "{'app_name':'" + app + "','model_names':['" + model + "']}");
    Answer again = admin.post("/admin/delete_model_links",
        "{'app_name':'" + app + "','model_names':['" + model + "']}");

    assertThat(removed.message()).isEqualTo("Success!");
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.cause())
        .isEqualTo("Cannot remove nonexistent link between app " + app + " and model " + model);
  }

  @Test
  void registersAndRemovesASelfStartedReplica() {
    String model = unique("model");
    addModel(model, "1", "doubles");

    Answer added = admin.post("/admin/add_replica", "{'model_name':'" + model
        + "','model_version':'1','input_type':'doubles','host':'10.0.0.7','port':7001}");

    assertThat(added.status()).isEqualTo(200);
    int replicaId = added.body().get("model_replica_id").asInt();
    assertThat(admin.post("/admin/get_replicas", "{'model_name':'" + model
        + "','model_version':'1'}").body().toString()).isEqualTo("[{\"model_replica_id\":"
        + replicaId + ",\"host\":\"10.0.0.7\",\"port\":7001,\"status\":\"UP\"}]");
    Answer container = admin.post("/admin/get_container", "{'model_name':'" + model
        + "','model_version':'1','replica_id':" + replicaId + "}");
    assertThat(container.body().get("model_id").asString()).isEqualTo(model + ":1");
    assertThat(admin.post("/admin/get_all_containers", "{'verbose':false}").body()
        .valueStream().map(n -> n.asString())).contains(model + ":1:" + replicaId);

    Answer removed = admin.post("/admin/remove_replica", "{'model_name':'" + model
        + "','model_version':'1','model_replica_id':" + replicaId + "}");

    assertThat(removed.status()).isEqualTo(200);
    assertThat(admin.post("/admin/get_replicas", "{'model_name':'" + model
        + "','model_version':'1'}").body()).isEmpty();
  }

  @Test
  void refusesAReplicaOfAnUnknownModelOrAnotherInputType() {
    String model = unique("model");
    addModel(model, "1", "doubles");

    Answer unknown = admin.post("/admin/add_replica", "{'model_name':'ghost','model_version':'1',"
        + "'input_type':'doubles','host':'127.0.0.1','port':7001}");
    Answer wrongType = admin.post("/admin/add_replica", "{'model_name':'" + model
        + "','model_version':'1','input_type':'ints','host':'127.0.0.1','port':7001}");

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(wrongType.status()).isEqualTo(400);
  }

  @Test
  void rejectsAppNamesWithColons() {
    Answer answer = admin.post("/admin/add_app", "{'name':'a:b','input_type':'doubles',"
        + "'default_output':'-1','latency_slo_micros':1000}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.cause()).contains("contains ',' or ':'");
  }

  @Test
  void rejectsNamesThatAreNotDnsLabels() {
    Answer answer = admin.post("/admin/add_app", "{'name':'My_App','input_type':'doubles',"
        + "'default_output':'-1','latency_slo_micros':1000}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.cause()).contains("lower case alphanumeric");
  }

  @Test
  void rejectsLabelsWithCommasAndUnknownInputTypes() {
    Answer label = admin.post("/admin/add_model", "{'model_name':'m','model_version':'1',"
        + "'labels':['a,b'],'input_type':'doubles','container_name':'NO_CONTAINER'}");
    Answer type = admin.post("/admin/add_model", "{'model_name':'m','model_version':'1',"
        + "'input_type':'tensors','container_name':'NO_CONTAINER'}");

    assertThat(label.status()).isEqualTo(400);
    assertThat(type.status()).isEqualTo(400);
    assertThat(type.cause()).startsWith("Invalid input_type 'tensors'");
  }

  @Test
  void rejectsEnvVariablesThatCouldLoadCode() {
    Answer answer = admin.post("/admin/add_model", "{'model_name':'m','model_version':'1',"
        + "'input_type':'doubles','container_name':'NO_CONTAINER','env':{'LD_PRELOAD':'x.so'}}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.cause()).startsWith("Invalid env variable 'LD_PRELOAD'");
  }

  @Test
  void keepsASampleInputForTheContainersToPredictBeforeTheyServe() {
    String model = unique("m");
    Answer added = admin.post("/admin/add_model", "{'model_name':'" + model + "',"
        + "'model_version':'1','input_type':'ints','container_name':'NO_CONTAINER',"
        + "'sample_input':[1,-2,3]}");
    Answer wrongType = admin.post("/admin/add_model", "{'model_name':'" + unique("m") + "',"
        + "'model_version':'1','input_type':'ints','container_name':'NO_CONTAINER',"
        + "'sample_input':[1.5]}");

    assertThat(added.status()).isEqualTo(200);
    assertThat(admin.post("/admin/get_model", "{'model_name':'" + model + "',"
        + "'model_version':'1'}").body().path("sample_input").asString())
        .isEqualTo("1,-2,3");
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.cause()).contains("sample_input", "array of numbers");
  }

  @Test
  void rejectsAContainerThatIsNotUnderTheModelsRoot() {
    Answer answer = admin.post("/admin/add_model", "{'model_name':'m','model_version':'1',"
        + "'input_type':'doubles','container_name':'../../bin'}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.cause()).isEqualTo(
        "No model or runtime named ../../bin under the models root or the runtimes root");
  }

  @Test
  void refusesToScaleAModelWithoutContainer() {
    String model = unique("model");
    addModel(model, "1", "doubles");

    Answer answer = admin.post("/admin/set_num_replicas",
        "{'model_name':'" + model + "','model_version':'1','num_replicas':2}");

    assertThat(answer.status()).isEqualTo(400);
  }

  private Answer addApp(String name, String type) {
    Answer answer = admin.post("/admin/add_app", "{'name':'" + name + "','input_type':'" + type
        + "','default_output':'-1','latency_slo_micros':100000}");
    assertThat(answer.status()).isEqualTo(200);
    return answer;
  }

  private Answer addModel(String name, String version, String type) {
    Answer answer = admin.post("/admin/add_model", "{'model_name':'" + name
        + "','model_version':'" + version + "','labels':['a','b'],'input_type':'" + type
        + "','container_name':'NO_CONTAINER','model_data_path':'DEPRECATED','batch_size':-1}");
    assertThat(answer.status()).isEqualTo(200);
    return answer;
  }

  private Answer link(String app, String model) {
    return admin.post("/admin/add_model_links",
        "{'app_name':'" + app + "','model_names':['" + model + "']}");
  }
}
