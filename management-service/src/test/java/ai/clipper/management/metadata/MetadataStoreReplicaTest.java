package ai.clipper.management.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.management.TestRedis;
import ai.clipper.metadata.App;
import ai.clipper.metadata.RedisKeys;
import ai.clipper.metadata.localredis.LocalRedis;
import ai.clipper.sdk.InputType;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A write on a master with a replica returns once the replica has it (so a failover keeps every
 * answered admin write); with no replica it does not wait.
 */
class MetadataStoreReplicaTest {

  private final RedisKeys keys = new RedisKeys("replica-test:");
  private final List<LocalRedis> started = new java.util.ArrayList<>();
  private final List<LettuceConnectionFactory> connections = new java.util.ArrayList<>();
  private LocalRedis master;

  @BeforeEach
  void startMaster() {
    master = start(List.of());
  }

  @AfterEach
  void stop() {
    connections.forEach(LettuceConnectionFactory::destroy);
    started.forEach(LocalRedis::close);
  }

  @Test
  void anAnsweredWriteIsOnTheReplica() throws Exception {
    LocalRedis replica = start(List.of("replicaof", "127.0.0.1 " + master.port()));
    StringRedisTemplate onReplica = template(replica.port());
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
        onReplica.execute(c -> c.serverCommands().info("replication"), true)
            .getProperty("master_link_status", "").equals("up"));
    MetadataStore store = new MetadataStore(template(master.port()), keys, Duration.ofSeconds(30));

    signal(replica, "STOP"); // the replica receives nothing while stopped
    CompletableFuture<Boolean> write = CompletableFuture.supplyAsync(() -> store.addApp(app()));
    Thread.sleep(500);
    boolean answeredWhileReplicaStopped = write.isDone();
    signal(replica, "CONT");

    assertThat(answeredWhileReplicaStopped).as("answered before the replica had it").isFalse();
    assertThat(write.get(20, TimeUnit.SECONDS)).isTrue();
    assertThat(onReplica.hasKey(keys.app("shop"))).isTrue();
  }

  @Test
  void withoutReplicasAWriteDoesNotWait() {
    MetadataStore store = new MetadataStore(template(master.port()), keys, Duration.ofSeconds(30));

    long start = System.nanoTime();
    assertThat(store.addApp(app())).isTrue();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
  }

  private LocalRedis start(List<String> settings) {
    LocalRedis redis = LocalRedis.startInstalled(LocalRedis.freePort(), List.of(), settings);
    started.add(redis);
    return redis;
  }

  private StringRedisTemplate template(int port) {
    LettuceConnectionFactory factory = TestRedis.connect(port);
    connections.add(factory);
    return new StringRedisTemplate(factory);
  }

  private static void signal(LocalRedis redis, String signal) throws IOException,
      InterruptedException {
    long pid = redis.process().orElseThrow().pid();
    new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
  }

  private static App app() {
    return new App("shop", InputType.DOUBLES, "-1", 20000, App.DEFAULT_POLICY, true);
  }
}
