package ai.clipper.management.metadata;

import ai.clipper.metadata.RedisKeys;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Runs {@link MetadataScripts} with the version counter and change channel they all take, and
 * returns once a replica has what they wrote (see {@link #awaitReplica}).
 */
final class ScriptedWrites {

  private static final Logger LOG = LoggerFactory.getLogger(ScriptedWrites.class);

  private final StringRedisTemplate redis;
  private final RedisKeys keys;
  private final Duration replicaAckTimeout;
  private final boolean cluster;

  ScriptedWrites(StringRedisTemplate redis, RedisKeys keys, Duration replicaAckTimeout) {
    this.redis = redis;
    this.keys = keys;
    this.replicaAckTimeout = replicaAckTimeout;
    this.cluster = redis.getRequiredConnectionFactory() instanceof LettuceConnectionFactory lettuce
        && lettuce.isClusterAware();
  }

  /** Runs a guarded script; true when it wrote. */
  boolean run(RedisScript<Long> script, List<String> keyList, List<String> args,
      Map<String, String> fields) {
    Long result = redis.execute(script, withVersion(keyList), argv(args, fields));
    if (result == null || result != 1L) {
      return false;
    }
    awaitReplica();
    return true;
  }

  /** Runs a checked script; empty when it wrote, else why it did not. */
  Optional<Refusal> check(RedisScript<List> script, List<String> keyList, List<String> args,
      Map<String, String> fields) {
    List<?> answer = redis.execute(script, withVersion(keyList), argv(args, fields));
    Optional<Refusal> refusal = Refusal.of(answer);
    if (refusal.isEmpty()) {
      awaitReplica();
    }
    return refusal;
  }

  /** What comes before {@code suffix} in {@code key}: the layout's prefix of such keys. */
  static String prefixOf(String key, String suffix) {
    if (!key.endsWith(suffix)) {
      throw new IllegalStateException(key + " does not end with " + suffix);
    }
    return key.substring(0, key.length() - suffix.length());
  }

  private List<String> withVersion(List<String> keyList) {
    List<String> allKeys = new ArrayList<>();
    allKeys.add(keys.version());
    allKeys.addAll(keyList);
    return allKeys;
  }

  private Object[] argv(List<String> args, Map<String, String> fields) {
    List<String> argv = new ArrayList<>();
    argv.add(keys.changes());
    argv.addAll(args);
    fields.forEach((field, value) -> {
      argv.add(field);
      argv.add(value);
    });
    return argv.toArray();
  }

  /**
   * Waits until a replica has every write so far ({@code WAIT 1}), when any is connected:
   * replication is asynchronous, and a write the master answered but no replica received is gone
   * when a failover promotes one, so an answered admin write should be on a replica. After the
   * timeout the write stands on the master alone (logged). A no-op on a Redis without replicas,
   * and on Redis Cluster, where {@code WAIT} would have to follow the write on its node's
   * connection, which Spring's cluster connection does not offer. On the shared connection, as
   * the scripts are: {@code WAIT} counts the acknowledged writes of the connection it is sent on.
   */
  private void awaitReplica() {
    if (cluster) {
      return;
    }
    Long acknowledged = redis.execute((RedisCallback<Long>) connection -> {
      Properties replication = connection.serverCommands().info("replication");
      if (replication == null || "0".equals(replication.getProperty("connected_slaves", "0"))) {
        return null;
      }
      var lettuce = (RedisClusterAsyncCommands<?, ?>) connection.getNativeConnection();
      long millis = replicaAckTimeout.toMillis();
      return LettuceFutures.awaitOrCancel(lettuce.waitForReplication(1, millis),
          millis + 5000, TimeUnit.MILLISECONDS);
    });
    if (acknowledged != null && acknowledged == 0) {
      LOG.warn("A metadata write is on the Redis master but on no replica after {}: a failover"
          + " now would lose it", replicaAckTimeout);
    }
  }
}
