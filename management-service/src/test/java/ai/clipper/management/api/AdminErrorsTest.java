package ai.clipper.management.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.management.AdminClient.Answer;
import org.junit.jupiter.api.Test;

/** One test per row of the error mapping: always JSON {"error","cause"}, never a stack trace. */
class AdminErrorsTest extends RunningService {

  @Test
  void answers400ForMalformedJson() {
    Answer answer = admin.raw("/admin/add_app", "{\"name\": ");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body().get("error").asString()).isEqualTo("Error parsing JSON");
    assertThat(answer.cause()).startsWith("Malformed JSON");
  }

  @Test
  void answers400ForAMissingField() {
    Answer answer = admin.post("/admin/add_app",
        "{'name':'x','input_type':'doubles','default_output':'-1'}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.cause()).isEqualTo("Missing field 'latency_slo_micros'");
  }

  @Test
  void answers400ForAFieldOfTheWrongType() {
    Answer answer = admin.post("/admin/add_app", "{'name':'x','input_type':'doubles',"
        + "'default_output':'-1','latency_slo_micros':'abc'}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.cause()).isEqualTo("Field 'latency_slo_micros' has the wrong type: expected a number");
    assertThat(answer.body().toString()).doesNotContain("java.");
  }

  @Test
  void answers400ForACacheFlagThatIsNotABoolean() {
    Answer answer = admin.post("/admin/add_app", "{'name':'x','input_type':'doubles',"
        + "'default_output':'-1','latency_slo_micros':1000,'cache_enabled':'maybe'}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.cause()).isEqualTo("Field 'cache_enabled' has the wrong type: expected a boolean");
  }

  @Test
  void answers400ForANonPositiveSlo() {
    Answer answer = admin.post("/admin/add_app", "{'name':'x','input_type':'doubles',"
        + "'default_output':'-1','latency_slo_micros':0}");

    assertThat(answer.status()).isEqualTo(400);
  }

  @Test
  void answers404ForAnUnknownApp() {
    Answer answer = admin.post("/admin/get_linked_models", "{'app_name':'nobody'}");

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.cause()).isEqualTo("No application with name 'nobody' exists.");
  }

  @Test
  void answers409ForADuplicateApp() {
    String app = unique("dup");
    String body = "{'name':'" + app + "','input_type':'doubles','default_output':'-1',"
        + "'latency_slo_micros':1000}";
    admin.post("/admin/add_app", body);

    Answer answer = admin.post("/admin/add_app", body);

    assertThat(answer.status()).isEqualTo(409);
    assertThat(answer.cause()).isEqualTo("application '" + app + "' already exists");
  }

  @Test
  void answers413ForAnOversizedBody() {
    String huge = "{\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";

    Answer answer = admin.raw("/admin/get_application", huge);

    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.body().get("error").asString()).isEqualTo("Request body too large");
  }

  @Test
  void answers404JsonForAnUnknownPath() {
    Answer answer = admin.post("/admin/no_such_call", "{}");

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.body().has("error")).isTrue();
  }

  @Test
  void answers405JsonForTheWrongMethod() {
    Answer answer = admin.get("/admin/add_app");

    assertThat(answer.status()).isEqualTo(405);
    assertThat(answer.body().has("error")).isTrue();
  }
}
