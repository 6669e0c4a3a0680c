package ai.clipper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.clipper.metadata.localredis.LocalRedis;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An installation from before the hash-tag key layout ({@code clipper:apps}, as the services wrote
 * it until then) upgraded: the new services start on its Redis with their defaults and serve what
 * it held, and no key of the old layout is left.
 */
class KeyLayoutUpgradeIT {

  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static final String OLD_LAYOUT = "clipper:";

  @Test
  void anAppDeployedUnderTheOldLayoutAnswersAfterTheUpgrade() throws Exception {
    Path data = Files.createTempDirectory("clipper-it-upgrade-");
    List<ServiceProcess> services = new ArrayList<>();
    try (LocalRedis redis = LocalRedis.start(LocalRedis.freePort(), data)) {
      List<String> redisArgs = List.of("--spring.data.redis.port=" + redis.port());
      List<String> oldManagement = new ArrayList<>(redisArgs);
      oldManagement.addAll(List.of("--clipper.management.redis-prefix=" + OLD_LAYOUT,
          "--clipper.management.legacy-redis-prefix="));
      ServiceProcess management = ClipperStack.startManagement(oldManagement,
          LocalRedis.freePort(), data.resolve("artifacts"));
      services.add(management);
      ServiceProcess frontend = startFrontend(redis, "--clipper.frontend.redis-prefix=" + OLD_LAYOUT);
      services.add(frontend);
      deploy(new HttpJson(management.url()));
      awaitTheModelsAnswer(new HttpJson(frontend.url()));

      management.close();
      frontend.close();
      ServiceProcess upgraded = ClipperStack.startManagement(redisArgs, LocalRedis.freePort(),
          data.resolve("artifacts"));
      services.add(upgraded);
      ServiceProcess upgradedFrontend = startFrontend(redis);
      services.add(upgradedFrontend);

      HttpJson admin = new HttpJson(upgraded.url());
      assertThat(admin.ok("/admin/get_all_applications", "{}").toString()).contains("legacy");
      assertThat(admin.ok("/admin/get_linked_models", "{\"app_name\": \"legacy\"}").toString())
          .contains("legacy-sum");
      awaitTheModelsAnswer(new HttpJson(upgradedFrontend.url()));
      assertThat(RedisCli.run(redis.port(), "KEYS", OLD_LAYOUT + "*"))
          .as("keys left in the old layout").allMatch(String::isBlank);
    } finally {
      services.forEach(ServiceProcess::close);
    }
  }

  private static ServiceProcess startFrontend(LocalRedis redis, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--spring.data.redis.port=" + redis.port(),
        ClipperStack.grpcPortArgument(LocalRedis.freePort())));
    all.addAll(List.of(args));
    return ServiceProcess.start("query-frontend-service", LocalRedis.freePort(), all);
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
