package ai.clipper.management.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.clipper.management.TestRedis;
import ai.clipper.metadata.App;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.RedisKeys;
import ai.clipper.metadata.Replica;
import ai.clipper.sdk.InputType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/** The Redis layout the frontends read: keys, indexes, and a published version per change. */
class MetadataStoreTest {

  private final RedisKeys keys = new RedisKeys("store-test:");
  private final List<String> published = new CopyOnWriteArrayList<>();
  private LettuceConnectionFactory connections;
  private RedisMessageListenerContainer listener;
  private StringRedisTemplate redis;
  private MetadataStore store;

  @BeforeEach
  void connect() {
    connections = TestRedis.connect();
    redis = new StringRedisTemplate(connections);
    redis.delete(redis.keys("store-test:*"));
    listener = new RedisMessageListenerContainer();
    listener.setConnectionFactory(connections);
    listener.addMessageListener((message, pattern) -> published.add(new String(message.getBody())),
        new ChannelTopic(keys.changes()));
    listener.afterPropertiesSet();
    listener.start();
    store = new MetadataStore(redis, keys);
    await().atMost(Duration.ofSeconds(10)).until(listener::isListening);
  }

  @AfterEach
  void disconnect() throws Exception {
    listener.destroy();
    connections.destroy();
  }

  @Test
  void bumpsTheVersionAndPublishesItForEveryChange() {
    store.addApp(app("shop"));
    store.addModel(model("sum", "1"));
    store.addLinks("shop", List.of("sum"));
    ModelId sum = new ModelId("sum", "1");
    store.putReplica(new Replica(sum, 1, "127.0.0.1", 7000, InputType.DOUBLES,
        Replica.Status.STARTING), Map.of());
    store.setReplicaStatus(sum, 1, Replica.Status.UP);

    assertThat(redis.opsForValue().get(keys.version())).isEqualTo("5");
    // The listener container hands messages to a pool of threads, so they may arrive reordered.
    await().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(published).containsExactlyInAnyOrder("1", "2", "3", "4", "5"));
  }

  @Test
  void writesAHashPerAppAndModelWithSetsAsIndexes() {
    store.addApp(app("shop"));
    store.addModel(model("sum", "1"));

    assertThat(redis.opsForSet().members(keys.apps())).containsExactly("shop");
    assertThat(redis.opsForHash().get(keys.app("shop"), "latency_slo_micros")).isEqualTo("20000");
    assertThat(redis.opsForSet().members(keys.models())).containsExactly("sum:1");
    assertThat(redis.opsForValue().get(keys.currentVersion("sum"))).isEqualTo("1");
  }

  @Test
  void doesNotOverwriteAnExistingAppOrBumpTheVersion() {
    store.addApp(app("shop"));

    boolean second =
        store.addApp(new App("shop", InputType.INTS, "x", 5, App.DEFAULT_POLICY, true));

    assertThat(second).isFalse();
    assertThat(store.app("shop").orElseThrow().inputType()).isEqualTo(InputType.DOUBLES);
    assertThat(redis.opsForValue().get(keys.version())).isEqualTo("1");
  }

  @Test
  void deletingAnAppRemovesItsHashMembershipAndLinks() {
    store.addApp(app("shop"));
    store.addModel(model("sum", "1"));
    store.addLinks("shop", List.of("sum"));

    store.deleteApp("shop");

    assertThat(redis.hasKey(keys.app("shop"))).isFalse();
    assertThat(redis.hasKey(keys.links("shop"))).isFalse();
    assertThat(redis.opsForSet().members(keys.apps())).isEmpty();
  }

  @Test
  void dropsAStatusChangeForAReplicaThatWasRemoved() {
    store.addModel(model("sum", "1"));
    ModelId sum = new ModelId("sum", "1");
    store.putReplica(new Replica(sum, 1, "127.0.0.1", 7000, InputType.DOUBLES,
        Replica.Status.UP), Map.of("pid", "42"));
    store.removeReplica(sum, 1);

    boolean changed = store.setReplicaStatus(sum, 1, Replica.Status.DOWN);

    assertThat(changed).isFalse();
    assertThat(redis.hasKey(keys.replica(sum, 1))).isFalse();
  }

  @Test
  void movesTheCurrentVersionWhenItIsDeleted() {
    store.addModel(model("sum", "2"));
    store.addModel(model("sum", "10"));
    store.addModel(model("sum", "3"));

    store.deleteModel(new ModelId("sum", "3"));

    assertThat(store.currentVersion("sum")).contains("10");
    store.deleteModel(new ModelId("sum", "10"));
    store.deleteModel(new ModelId("sum", "2"));
    assertThat(store.currentVersion("sum")).isEmpty();
  }

  private static App app(String name) {
    return new App(name, InputType.DOUBLES, "-1", 20000, App.DEFAULT_POLICY, true);
  }

  private static Model model(String name, String version) {
    return new Model(new ModelId(name, version), InputType.DOUBLES, List.of("x"),
        Model.NO_CONTAINER, "", -1, 0, 0, Map.of());
  }
}
