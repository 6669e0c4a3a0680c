package ai.clipper.management.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.management.TestRedis;
import ai.clipper.metadata.App;
import ai.clipper.metadata.RedisKeys;
import ai.clipper.sdk.InputType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The management service's health says when Redis's data went back, as the frontends do. */
class MetadataWatchTest {

  private final RedisKeys keys = new RedisKeys("watch-test:");
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private LettuceConnectionFactory connections;
  private StringRedisTemplate redis;
  private MetadataStore store;
  private MetadataWatch watch;

  @BeforeEach
  void connect() {
    connections = TestRedis.connect();
    redis = new StringRedisTemplate(connections);
    redis.delete(redis.keys("watch-test:*"));
    store = new MetadataStore(redis, keys);
    watch = new MetadataWatch(store, meters);
  }

  @AfterEach
  void disconnect() {
    connections.destroy();
  }

  @Test
  void isUpAtTheVersionRedisHolds() {
    store.addApp(app("a"));
    watch.check();

    Health health = watch.health();
    assertThat(health.getStatus().getCode()).isEqualTo("UP");
    assertThat(health.getDetails()).containsEntry("version", 1L);
    assertThat(meters.get("clipper.metadata.stale").gauge().value()).isZero();
  }

  @Test
  void turnsStaleWhenRedisLosesItsDataUntilAChangeIsWrittenAgain() {
    store.addApp(app("a"));
    store.addApp(app("b"));
    watch.check();
    redis.delete(redis.keys("watch-test:*"));

    watch.check();
    watch.check();

    Health health = watch.health();
    assertThat(health.getStatus().getCode()).isEqualTo("STALE");
    assertThat(health.getDetails().get("reason").toString())
        .contains("went back from 2 to 0");
    assertThat(meters.get("clipper.metadata.stale").gauge().value()).isEqualTo(1);

    store.addApp(app("a"));
    watch.check();

    assertThat(watch.health().getStatus().getCode()).isEqualTo("UP");
    assertThat(meters.get("clipper.metadata.stale").gauge().value()).isZero();
  }

  private static App app(String name) {
    return new App(name, InputType.DOUBLES, "0", 1000, "single", true);
  }
}
