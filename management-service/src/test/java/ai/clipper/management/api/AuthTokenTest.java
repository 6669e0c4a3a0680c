package ai.clipper.management.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clipper.management.AdminClient;
import ai.clipper.management.AdminClient.Answer;
import ai.clipper.management.TestRedis;
import ai.clipper.sdk.ContainerConfig;
import ai.clipper.sdk.InputType;
import ai.clipper.sdk.Model;
import ai.clipper.sdk.ModelContainer;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With an auth token configured, mutations need it; reads stay open; a container started with the
 * same token in {@code CLIPPER_MANAGEMENT_AUTH_TOKEN} still registers itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "clipper.management.auth-token=s3cret")
class AuthTokenTest {

  private static final String ADD_APP = "{'name':'secured','input_type':'doubles',"
      + "'default_output':'-1','latency_slo_micros':1000}";

  @LocalServerPort
  int port;

  @DynamicPropertySource
  static void redis(DynamicPropertyRegistry registry) {
    registry.add("spring.data.redis.port", TestRedis::port);
    registry.add("clipper.management.redis-prefix", () -> "auth-test:");
  }

  @Test
  void answers401ForAMutationWithoutTheToken() {
    Answer answer = new AdminClient(port).post("/admin/add_app", ADD_APP);

    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.body().get("error").asString()).isEqualTo("Unauthorized");
  }

  @Test
  void answers401ForAWrongToken() {
    Answer answer = new AdminClient(port).withHeader("Authorization", "Bearer guess")
        .post("/admin/add_app", ADD_APP);

    assertThat(answer.status()).isEqualTo(401);
  }

  @Test
  void acceptsAMutationWithTheToken() {
    Answer answer = new AdminClient(port).withHeader("Authorization", "Bearer s3cret")
        .post("/admin/add_app", ADD_APP.replace("secured", "secured-ok"));

    assertThat(answer.status()).isEqualTo(200);
  }

  @Test
  void aContainerWithTheTokenRegistersItselfAndOneWithoutIsRefused() throws Exception {
    AdminClient admin = new AdminClient(port).withHeader("Authorization", "Bearer s3cret");
    assertThat(admin.post("/admin/add_model", "{'model_name':'self-registered',"
        + "'model_version':'1','input_type':'doubles','container_name':'NO_CONTAINER'}").status())
        .isEqualTo(200);
    Model<double[]> model = inputs -> inputs.stream().map(x -> "ok").toList();
    URI management = URI.create("http://127.0.0.1:" + port);

    assertThatThrownBy(() -> ModelContainer.start(model, config(management, Optional.empty())))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("Unauthorized");
    try (ModelContainer container = ModelContainer.start(model,
        config(management, Optional.of("s3cret")))) {
      Answer replicas = admin.post("/admin/get_replicas",
          "{'model_name':'self-registered','model_version':'1'}");
      assertThat(replicas.body().valueStream().map(r -> r.get("port").asInt()))
          .containsExactly(container.port());
    }
  }

  private static ContainerConfig config(URI management, Optional<String> token) {
    return new ContainerConfig("self-registered", "1", InputType.DOUBLES, 0, "127.0.0.1",
        Optional.of(management), token);
  }

  @Test
  void leavesReadsOpen() {
    AdminClient admin = new AdminClient(port);

    assertThat(admin.get("/admin/ping").status()).isEqualTo(200);
    assertThat(admin.post("/admin/get_all_applications", "{}").status()).isEqualTo(200);
    assertThat(admin.get("/admin/prometheus_targets").status()).isEqualTo(200);
  }

  @Test
  void asksTheTokenForAReplicasLogs() {
    String logs = "/admin/get_replica_logs?model_name=ghost&model_version=1&replica_id=1";

    assertThat(new AdminClient(port).get(logs).status()).isEqualTo(401);
    assertThat(new AdminClient(port).withHeader("Authorization", "Bearer s3cret").get(logs)
        .status()).isEqualTo(404);
  }
}
