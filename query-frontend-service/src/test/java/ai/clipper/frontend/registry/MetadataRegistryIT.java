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

/**
 * The frontend starts without Redis, keeps serving, and picks the metadata up once Redis is up; a
 * Redis that comes back empty does not take its routes away.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = "clipper.frontend.registry.resync-interval=200ms")
class MetadataRegistryIT {

  private static final int PORT = LocalRedis.freePort();

  @Autowired
  private MetadataRegistry registry;

  @Autowired
  private MetadataHealthIndicator health;

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

  @Test
  void keepsItsSnapshotWhenRedisComesBackEmptyAndAppliesTheNextChange() {
    try (LocalRedis redis = LocalRedis.start(PORT);
        MetadataWriter metadata = new MetadataWriter(PORT)) {
      metadata.addApp(new App("kept", InputType.DOUBLES, "0", 1000, "single", true));
      long applied = registry.current().version(); // by an earlier test, on another Redis
      while (metadata.publish() <= applied) {
        // past it, so this is news whatever the frontend saw of this Redis before
      }
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
          .until(() -> registry.current().app("kept").isPresent() && registry.stale().isEmpty());
    }
    long version = registry.current().version();

    try (LocalRedis empty = LocalRedis.start(PORT);
        MetadataWriter metadata = new MetadataWriter(PORT)) {
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
          .until(() -> registry.stale().filter(s -> s.reason().contains("went back")).isPresent());
      assertThat(registry.current().app("kept")).isPresent();
      assertThat(registry.current().version()).isEqualTo(version);
      assertThat(health.health().getStatus().getCode()).isEqualTo("STALE");
      assertThat(health.health().getDetails().get("reason").toString())
          .contains("went back from " + version + " to 0");

      metadata.addApp(new App("rebuilt", InputType.DOUBLES, "0", 1000, "single", true));
      metadata.publish();

      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
          .until(() -> registry.current().app("rebuilt").isPresent());
      assertThat(registry.stale()).isEmpty();
      assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
    }
  }
}
