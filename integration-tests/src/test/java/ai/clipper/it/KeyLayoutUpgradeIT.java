package ai.clipper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An installation from before the hash-tag key layout ({@code clipper:apps}, as the services wrote
 * it until then) upgraded: the new services start on its Redis with their defaults and serve what
 * it held, and no key of the old layout is left.
 */
class KeyLayoutUpgradeIT {

  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static final String OLD_LAYOUT = "clipper:";

  /** The installation before the upgrade: both services write the old layout. */
  @RegisterExtension
  static final ClipperStack stack = ClipperStack.builder()
      .managementArgs("--clipper.management.redis-prefix=" + OLD_LAYOUT,
          "--clipper.management.legacy-redis-prefix=")
      .frontendArgs("--clipper.frontend.redis-prefix=" + OLD_LAYOUT)
      .build();

  @Test
  void anAppDeployedUnderTheOldLayoutAnswersAfterTheUpgrade() {
    deploy(stack.admin);
    awaitTheModelsAnswer(stack.queries);

    stack.management.close();
    stack.frontend.close();
    try (ServiceProcess upgraded = stack.startManagement();
        ServiceProcess upgradedFrontend = stack.startFrontend()) {
      HttpJson admin = new HttpJson(upgraded.url());
      assertThat(admin.ok("/admin/get_all_applications", "{}").toString()).contains("legacy");
      assertThat(admin.ok("/admin/get_linked_models", "{\"app_name\": \"legacy\"}").toString())
          .contains("legacy-sum");
      awaitTheModelsAnswer(new HttpJson(upgradedFrontend.url()));
      assertThat(RedisCli.run(stack.redis.port(), "KEYS", OLD_LAYOUT + "*"))
          .as("keys left in the old layout").allMatch(String::isBlank);
    }
  }

  private static void deploy(HttpJson admin) {
    admin.ok("/admin/add_app", """
        {"name": "legacy", "input_type": "doubles", "default_output": "-1",
         "latency_slo_micros": 1000000}""");
    admin.ok("/admin/add_model", """
        {"model_name": "legacy-sum", "model_version": "1", "input_type": "doubles",
         "container_name": "java-sum"}""");
    admin.ok("/admin/add_model_links",
        "{\"app_name\": \"legacy\", \"model_names\": [\"legacy-sum\"]}");
    admin.ok("/admin/set_num_replicas",
        "{\"model_name\": \"legacy-sum\", \"model_version\": \"1\", \"num_replicas\": 1}");
  }

  private static void awaitTheModelsAnswer(HttpJson queries) {
    await().atMost(PATIENCE).untilAsserted(() -> {
      JsonNode answer = queries.ok("/legacy/predict", "{\"input\": [1, 2, 3]}");
      assertThat(answer.path("default").asBoolean()).isFalse();
      assertThat(answer.path("output").asDouble()).isEqualTo(6.0);
    });
  }
}
