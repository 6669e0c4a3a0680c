package ai.clipper.management.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.management.AdminClient.Answer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code get_replica_logs} and {@code prometheus_targets} answer for what is not a launched
 * replica (the launched ones are in {@code ProcessReplicasIT}): JSON errors, never a 500.
 */
class ReplicaLogsApiTest extends RunningService {

  private String model;

  @BeforeEach
  void selfRegisteredReplica() {
    model = unique("logs");
    assertThat(admin.post("/admin/add_model", "{'model_name':'" + model + "','model_version':'1',"
        + "'input_type':'doubles','container_name':'NO_CONTAINER'}").status()).isEqualTo(200);
    assertThat(admin.post("/admin/add_replica", "{'model_name':'" + model + "','model_version':"
        + "'1','input_type':'doubles','host':'10.1.2.3','port':7000}").status()).isEqualTo(200);
  }

  @Test
  void answers404ForAnUnknownModel() {
    Answer answer = logs("model_name=ghost&model_version=1&replica_id=1");

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.body().get("error").asString()).isEqualTo("Not found");
  }

  @Test
  void answers404ForAnUnknownReplica() {
    Answer answer = logs("model_name=" + model + "&model_version=1&replica_id=99");

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.cause()).isEqualTo("There is no replica 99 of model with name '" + model
        + "' and version '1'");
  }

  @Test
  void answers404ForAReplicaThatRegisteredItself() {
    Answer answer = logs("model_name=" + model + "&model_version=1&replica_id=1");

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.cause()).contains("did not launch replica 1");
  }

  @Test
  void answers400ForATailThatIsNotAWholeNumberInRange() {
    String replica = "model_name=" + model + "&model_version=1&replica_id=1";

    for (String tail : new String[] {"abc", "0", "-5", "10001", "1.5"}) {
      Answer answer = logs(replica + "&tail=" + tail);
      assertThat(answer.status()).as("tail=" + tail).isEqualTo(400);
      assertThat(answer.body().get("error").asString()).isEqualTo("Invalid request");
    }
  }

  @Test
  void answers400ForAMissingParameter() {
    Answer answer = logs("model_name=" + model + "&model_version=1");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.cause()).isEqualTo("Missing field 'replica_id'");
  }

  @Test
  void listsNoPrometheusTargetForAReplicaThatRegisteredItself() {
    Answer answer = admin.get("/admin/prometheus_targets");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body().isArray()).isTrue();
    assertThat(answer.body().valueStream()
        .map(group -> group.path("labels").path("model").asString())).doesNotContain(model);
  }

  private Answer logs(String query) {
    return admin.get("/admin/get_replica_logs?" + query);
  }
}
