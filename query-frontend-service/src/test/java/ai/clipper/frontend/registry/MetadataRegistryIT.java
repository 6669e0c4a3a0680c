package ai.clipper.frontend.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.clipper.frontend.MetadataWriter;
import ai.clipper.metadata.App;
import ai.clipper.metadata.localredis.LocalRedis;
import ai.clipper.sdk.InputType;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The frontend starts without Redis, keeps serving, and picks the metadata up once Redis is up. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = "clipper.frontend.registry.resync-interval=200ms")
class MetadataRegistryIT {

  private static final int PORT = LocalRedis.freePort();

  @Autowired
  private MetadataRegistry registry;

  @DynamicPropertySource
  static void redis(DynamicPropertyRegistry properties) {
    properties.add("spring.data.redis.port", () -> PORT);
  }

  @Test
  void startsWithoutRedisAndHealsWhenRedisComesUp() {
    assertThat(registry.current().apps()).isEmpty();
    try (LocalRedis redis = LocalRedis.start(PORT);
        MetadataWriter metadata = new MetadataWriter(PORT)) {
      // The change subscription is still backing off here; the periodic version check heals.
      metadata.addApp(new App("late", InputType.DOUBLES, "0", 1000, "single", true));
      metadata.publish();
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
          .until(() -> registry.current().app("late").isPresent());
    }
  }
}
