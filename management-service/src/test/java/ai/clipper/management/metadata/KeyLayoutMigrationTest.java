package ai.clipper.management.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.management.TestRedis;
import ai.clipper.metadata.App;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.RedisKeys;
import ai.clipper.metadata.Replica;
import ai.clipper.sdk.InputType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** An installation written under the layout before the hash tag, upgraded. */
class KeyLayoutMigrationTest {

  private final RedisKeys before = new RedisKeys("migration-test:");
  private final RedisKeys after = new RedisKeys("{migration-test}:");
  private LettuceConnectionFactory connections;
  private StringRedisTemplate redis;

  @BeforeEach
  void connect() {
    connections = TestRedis.connect();
    redis = new StringRedisTemplate(connections);
    redis.delete(redis.keys("*migration-test*"));
  }

  @AfterEach
  void disconnect() {
    connections.destroy();
  }

  @Test
  void everythingStoredUnderTheOldLayoutReadsTheSameUnderTheNew() {
    MetadataStore old = new MetadataStore(redis, before);
    old.addApp(new App("shop", InputType.DOUBLES, "-1", 20000, App.DEFAULT_POLICY, true));
    ModelId sum = new ModelId("sum", "1");
    old.addModel(new Model(sum, InputType.DOUBLES, List.of("x"), "java-sum", "", -1, 2, 0,
        Map.of()));
    old.addLinks("shop", List.of("sum"));
    old.putReplica(new Replica(sum, old.nextReplicaId(sum), "127.0.0.1", 7000, InputType.DOUBLES,
        Replica.Status.UP), Map.of("pid", "42"));
    redis.opsForHash().put(before.selectionState("shop", 7), "sum.count", "3");
    redis.expire(before.selectionState("shop", 7), 1, TimeUnit.HOURS);
    long versionBefore = old.version();

    int moved = migration().migrate();

    MetadataStore upgraded = new MetadataStore(redis, after);
    assertThat(moved).as("apps, app, links, models, model, current version, replicas, replica, "
        + "replica counter, selection state, version").isEqualTo(11);
    assertThat(upgraded.apps()).singleElement()
        .satisfies(app -> assertThat(app.latencySloMicros()).isEqualTo(20000));
    assertThat(upgraded.links("shop")).containsExactly("sum");
    assertThat(upgraded.model(sum)).hasValueSatisfying(
        model -> assertThat(model.containerName()).isEqualTo("java-sum"));
    assertThat(upgraded.currentVersion("sum")).hasValue("1");
    assertThat(upgraded.replicas(sum)).singleElement()
        .satisfies(replica -> assertThat(replica.status()).isEqualTo(Replica.Status.UP));
    assertThat(upgraded.launchInfo(sum, 1)).containsEntry("pid", "42");
    assertThat(upgraded.nextReplicaId(sum)).isEqualTo(2);
    assertThat(redis.opsForHash().get(after.selectionState("shop", 7), "sum.count"))
        .isEqualTo("3");
    assertThat(redis.getExpire(after.selectionState("shop", 7))).isPositive();
    assertThat(upgraded.version()).isGreaterThan(versionBefore);
    assertThat(redis.keys("migration-test:*")).isEmpty();
  }

  @Test
  void aSecondStartFindsNothingToMoveAndAFreshInstallationIsLeftAlone() {
    new MetadataStore(redis, before).addApp(
        new App("shop", InputType.DOUBLES, "-1", 20000, App.DEFAULT_POLICY, true));
    migration().migrate();
    long version = new MetadataStore(redis, after).version();

    assertThat(migration().migrate()).isZero();
    assertThat(new MetadataStore(redis, after).version()).isEqualTo(version);
  }

  @Test
  void keepsWhatTheNewLayoutAlreadyHolds() {
    new MetadataStore(redis, before).addApp(
        new App("shop", InputType.DOUBLES, "-1", 20000, App.DEFAULT_POLICY, true));
    new MetadataStore(redis, after).addApp(
        new App("shop", InputType.INTS, "0", 5000, App.DEFAULT_POLICY, true));

    migration().migrate();

    assertThat(new MetadataStore(redis, after).app("shop"))
        .hasValueSatisfying(app -> assertThat(app.inputType()).isEqualTo(InputType.INTS));
    assertThat(redis.keys("migration-test:*")).isEmpty();
  }

  private KeyLayoutMigration migration() {
    return new KeyLayoutMigration(redis, after, before.prefix());
  }
}
