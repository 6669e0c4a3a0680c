package ai.clipper.management.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.management.AdminClient.Answer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code /admin/set_selection_policy}: what it stores, and a clear 400 for what makes no sense. */
class SelectionPolicyApiTest extends RunningService {

  private String app;

  @BeforeEach
  void appWithTwoModels() {
    app = unique("sel");
    ok("/admin/add_app", "{'name':'" + app + "','input_type':'doubles',"
        + "'default_output':'-1','latency_slo_micros':100000}");
    for (String model : new String[] {app + "-a", app + "-b"}) {
      ok("/admin/add_model", "{'model_name':'" + model + "','model_version':'1',"
          + "'input_type':'doubles','container_name':'NO_CONTAINER'}");
    }
    ok("/admin/add_model_links", "{'app_name':'" + app + "','model_names':['" + app + "-a','"
        + app + "-b']}");
  }

  @Test
  void storesThePolicyAndItsParamsAndShowsThemWithTheApp() {
    Answer set = setPolicy("'exp3','params':{'eta':0.5,'gamma':0.1,'loss':'absolute'}");

    assertThat(set.status()).isEqualTo(200);
    assertThat(set.message()).startsWith("Successfully set the selection policy of application '"
        + app + "' to exp3");
    Answer shown = admin.post("/admin/get_application", "{'name':'" + app + "'}");
    assertThat(shown.body().get("selection_policy").asString()).isEqualTo("exp3");
    assertThat(shown.body().get("policy_params").toString())
        .isEqualTo("{\"eta\":0.5,\"gamma\":0.1,\"loss\":\"absolute\"}");
  }

  @Test
  void checksAbWeightsAgainstTheModelsLinkedToTheApp() {
    Answer linked = setPolicy("'ab','params':{'weights':{'" + app + "-a':9,'" + app + "-b':1}}");
    Answer ghost = setPolicy("'ab','params':{'weights':{'ghost':1}}");

    assertThat(linked.status()).isEqualTo(200);
    assertThat(ghost.status()).isEqualTo(400);
    assertThat(ghost.cause()).isEqualTo("Invalid weights: model 'ghost' is not linked to the app"
        + " (linked: [" + app + "-a, " + app + "-b])");
  }

  /** The rules themselves are tested once, in metadata's PolicySchemaTest. */
  @ParameterizedTest(name = "{0} with {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "bandit | {}         | bandit is an invalid selection_policy",
      "exp3   | {'eta':0}  | Invalid value for eta: 0 (must be in (0, 1])",
      "exp3   | [1]        | params must be a JSON object",
  })
  void answersAnInvalidRequest400ForWhatTheSchemaRejects(String policy, String params,
      String cause) {
    Answer answer = setPolicy("'" + policy + "','params':" + params);

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body().get("error").asString()).isEqualTo("Invalid request");
    assertThat(answer.cause()).startsWith(cause);
  }

  @Test
  void answers404ForAnUnknownAppAnd400WithoutAPolicy() {
    Answer unknown = admin.post("/admin/set_selection_policy",
        "{'app_name':'ghost-app','policy':'exp3'}");
    Answer missing = admin.post("/admin/set_selection_policy", "{'app_name':'" + app + "'}");

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.cause()).isEqualTo("No application with name 'ghost-app' exists.");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.cause()).isEqualTo("Missing field 'policy'");
  }

  private Answer setPolicy(String policyAndParams) {
    return admin.post("/admin/set_selection_policy",
        "{'app_name':'" + app + "','policy':" + policyAndParams + "}");
  }

  private void ok(String path, String body) {
    Answer answer = admin.post(path, body);
    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
  }
}
