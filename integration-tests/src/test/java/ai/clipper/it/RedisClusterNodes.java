package ai.clipper.it;

import static org.awaitility.Awaitility.await;

import ai.clipper.metadata.localredis.LocalRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of six nodes on free ports, three masters each with a replica, made by
 * {@code redis-cli --cluster create} as {@code ./clipper up --redis cluster} does: when a master
 * dies its replica takes over its slots.
 */
final class RedisClusterNodes implements ReplicatedRedis {

  private final List<LocalRedis> nodes;
  private final ScratchDirectory dir;

  private RedisClusterNodes(List<LocalRedis> nodes, ScratchDirectory dir) {
    this.nodes = nodes;
    this.dir = dir;
  }

  static RedisClusterNodes start() {
    ScratchDirectory dir = ScratchDirectory.create("cluster");
    List<LocalRedis> nodes = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      int port = LocalRedis.freePort();
      nodes.add(LocalRedis.startInstalled(port, List.of(), List.of(
          "cluster-enabled", "yes",
          "cluster-config-file", dir.resolve("nodes-" + port + ".conf").toString(),
          "cluster-node-timeout", "3000")));
    }
    List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    nodes.forEach(node -> create.add("127.0.0.1:" + node.port()));
    create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
    RedisCli.exec(create);
    RedisClusterNodes cluster = new RedisClusterNodes(nodes, dir);
    cluster.awaitFormed();
    return cluster;
  }

  /** Every node sees a healthy cluster and every replica is in sync with its master. */
  private void awaitFormed() {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
        nodes.stream().allMatch(node ->
            RedisCli.run(node.port(), "CLUSTER", "INFO").contains("cluster_state:ok")
                && (RedisCli.info(node.port(), "role").equals("master")
                    ? RedisCli.info(node.port(), "connected_slaves").equals("1")
                    : RedisCli.info(node.port(), "master_link_status").equals("up"))));
  }

  @Override
  public List<String> springArgs() {
    return List.of("--spring.data.redis.cluster.nodes=" + nodes.stream()
        .map(node -> "127.0.0.1:" + node.port()).collect(Collectors.joining(",")));
  }

  /** The port of the master that serves {@code key}'s slot now, from {@code CLUSTER NODES}. */
  int masterOf(String key) {
    int any = running().get(0).port();
    int slot = Integer.parseInt(RedisCli.run(any, "CLUSTER", "KEYSLOT", key).get(0));
    for (String line : RedisCli.run(any, "CLUSTER", "NODES")) {
      // <id> <ip:port@cport> <flags> <master> <ping> <pong> <epoch> <link> <slot ranges...>
      String[] fields = line.split(" ");
      if (fields[2].contains("master") && !fields[2].contains("fail") && serves(fields, slot)) {
        return Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1,
            fields[1].indexOf('@')));
      }
    }
    throw new IllegalStateException("no master serves slot " + slot);
  }

  private static boolean serves(String[] fields, int slot) {
    for (int i = 8; i < fields.length; i++) {
      String[] range = fields[i].split("-");
      int low = Integer.parseInt(range[0]);
      int high = Integer.parseInt(range[range.length - 1]);
      if (slot >= low && slot <= high) {
        return true;
      }
    }
    return false;
  }

  @Override
  public int killMasterOf(String key) {
    int port = masterOf(key);
    nodes.stream().filter(node -> node.port() == port).findFirst().orElseThrow().kill();
    return port;
  }

  @Override
  public List<String> command(String key, String... command) {
    return RedisCli.run(masterOf(key), command);
  }

  @Override
  public long subscribers(String channel) {
    long sum = 0;
    for (LocalRedis node : running()) {
      // PUBSUB NUMSUB counts the node's own clients; a PUBLISH reaches every node
      sum += Long.parseLong(RedisCli.run(node.port(), "PUBSUB", "NUMSUB", channel).get(1));
    }
    return sum;
  }

  private List<LocalRedis> running() {
    return nodes.stream().filter(node -> !RedisCli.info(node.port(), "role").isEmpty()).toList();
  }

  @Override
  public void close() {
    nodes.forEach(LocalRedis::close);
    dir.close();
  }
}
