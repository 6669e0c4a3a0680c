package ai.clipper.it;

import static org.awaitility.Awaitility.await;

import ai.clipper.metadata.localredis.LocalRedis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A master, two replicas and three sentinels (quorum 2) on free ports, as {@code ./clipper up
 * --redis sentinel} runs them: when the master dies the sentinels promote a replica.
 */
final class RedisSentinelGroup implements ReplicatedRedis {

  static final String MASTER_NAME = "clipper";

  private final List<LocalRedis> nodes;
  private final List<LocalRedis> sentinels;
  private final ScratchDirectory dir;

  private RedisSentinelGroup(List<LocalRedis> nodes, List<LocalRedis> sentinels,
      ScratchDirectory dir) {
    this.nodes = nodes;
    this.sentinels = sentinels;
    this.dir = dir;
  }

  static RedisSentinelGroup start() {
    try {
      ScratchDirectory dir = ScratchDirectory.create("sentinel");
      List<LocalRedis> nodes = new ArrayList<>();
      nodes.add(LocalRedis.startInstalled(LocalRedis.freePort(), List.of(), List.of()));
      int master = nodes.get(0).port();
      for (int i = 0; i < 2; i++) {
        nodes.add(LocalRedis.startInstalled(LocalRedis.freePort(), List.of(),
            List.of("replicaof", "127.0.0.1 " + master)));
      }
      List<LocalRedis> sentinels = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        // a sentinel rewrites its file with what it learns, so each has its own
        Path config = Files.writeString(dir.resolve("sentinel-" + i + ".conf"), """
            sentinel monitor %s 127.0.0.1 %d 2
            sentinel down-after-milliseconds %1$s 3000
            sentinel failover-timeout %1$s 10000
            """.formatted(MASTER_NAME, master));
        sentinels.add(LocalRedis.startInstalled(LocalRedis.freePort(),
            List.of(config.toString(), "--sentinel"), List.of()));
      }
      RedisSentinelGroup group = new RedisSentinelGroup(nodes, sentinels, dir);
      group.awaitFormed();
      return group;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replicas in sync and every sentinel aware of both replicas and the other sentinels. */
  private void awaitFormed() {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
        RedisCli.info(masterPort(), "connected_slaves").equals("2")
            && sentinels.stream().allMatch(s -> {
              List<String> master = RedisCli.run(s.port(), "SENTINEL", "MASTER", MASTER_NAME);
              return field(master, "num-slaves").equals("2")
                  && field(master, "num-other-sentinels").equals("2");
            }));
  }

  /** A field of a flat field/value reply, one per line. */
  private static String field(List<String> reply, String name) {
    int at = reply.indexOf(name);
    return at < 0 || at + 1 >= reply.size() ? "" : reply.get(at + 1);
  }

  /** The master's port, as the first sentinel that answers says. */
  int masterPort() {
    for (LocalRedis sentinel : sentinels) {
      try {
        return Integer.parseInt(RedisCli.run(sentinel.port(), "SENTINEL",
            "GET-MASTER-ADDR-BY-NAME", MASTER_NAME).get(1));
      } catch (RuntimeException unreachable) {
        // the next one
      }
    }
    throw new IllegalStateException("no sentinel answers");
  }

  @Override
  public List<String> springArgs() {
    return List.of("--spring.data.redis.sentinel.master=" + MASTER_NAME,
        "--spring.data.redis.sentinel.nodes=" + sentinels.stream()
            .map(s -> "127.0.0.1:" + s.port()).collect(Collectors.joining(",")));
  }

  @Override
  public int killMasterOf(String key) {
    int port = masterPort();
    nodes.stream().filter(node -> node.port() == port).findFirst().orElseThrow().kill();
    return port;
  }

  @Override
  public List<String> command(String key, String... command) {
    return RedisCli.run(masterPort(), command);
  }

  @Override
  public long subscribers(String channel) {
    long sum = 0;
    for (LocalRedis node : nodes) {
      try {
        sum += Long.parseLong(RedisCli.run(node.port(), "PUBSUB", "NUMSUB", channel).get(1));
      } catch (RuntimeException killed) {
        // not running
      }
    }
    return sum;
  }

  @Override
  public void close() {
    sentinels.forEach(LocalRedis::close);
    nodes.forEach(LocalRedis::close);
    dir.close();
  }
}
