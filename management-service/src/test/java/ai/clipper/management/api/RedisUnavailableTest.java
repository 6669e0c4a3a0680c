package ai.clipper.management.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.management.AdminClient;
import ai.clipper.management.AdminClient.Answer;
import ai.clipper.metadata.localredis.LocalRedis;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The management service with no Redis to reach: admin calls say so with a 503. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RedisUnavailableTest {

  @LocalServerPort
  int port;

  @DynamicPropertySource
  static void noRedis(DynamicPropertyRegistry registry) {
    int nothingListens = LocalRedis.freePort();
    registry.add("spring.data.redis.port", () -> nothingListens);
    registry.add("spring.data.redis.timeout", () -> "500ms");
  }

  @Test
  void answers503WhenRedisCannotBeReached() {
    Answer answer = new AdminClient(port).post("/admin/add_app",
        "{'name':'x','input_type':'doubles','default_output':'-1','latency_slo_micros':1000}");

    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.body().get("error").asString()).isEqualTo("Metadata store unavailable");
    assertThat(answer.cause()).isEqualTo("Redis did not answer; retry shortly");
  }
}
