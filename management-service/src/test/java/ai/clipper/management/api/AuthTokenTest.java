package ai.clipper.management.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.management.AdminClient;
import ai.clipper.management.AdminClient.Answer;
import ai.clipper.management.TestRedis;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With an auth token configured, mutations need it; reads stay open. */
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
  void leavesReadsOpen() {
    AdminClient admin = new AdminClient(port);

    assertThat(admin.get("/admin/ping").status()).isEqualTo(200);
    assertThat(admin.post("/admin/get_all_applications", "{}").status()).isEqualTo(200);
  }
}
