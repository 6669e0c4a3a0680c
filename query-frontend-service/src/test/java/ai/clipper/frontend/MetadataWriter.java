package ai.clipper.frontend;

import ai.clipper.metadata.App;
import ai.clipper.metadata.MetadataCodec;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.RedisKeys;
import ai.clipper.metadata.Replica;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/** Writes metadata into Redis exactly as the management service does, for frontend tests. */
public final class MetadataWriter implements AutoCloseable {

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisCommands<String, String> redis;
  private final RedisKeys keys = new RedisKeys(RedisKeys.DEFAULT_PREFIX);

  public MetadataWriter(int port) {
    client = RedisClient.create("redis://127.0.0.1:" + port);
    connection = client.connect();
    redis = connection.sync();
  }

  public MetadataWriter addApp(App app) {
    redis.hset(keys.app(app.name()), MetadataCodec.toHash(app));
    redis.sadd(keys.apps(), app.name());
    return this;
  }

  public MetadataWriter removeApp(String name) {
    redis.del(keys.app(name), keys.links(name));
    redis.srem(keys.apps(), name);
    return this;
  }

  public MetadataWriter link(String app, String modelName) {
    redis.sadd(keys.links(app), modelName);
    return this;
  }

  public MetadataWriter addModel(Model model) {
    redis.hset(keys.model(model.id()), MetadataCodec.toHash(model));
    redis.sadd(keys.models(), model.id().toString());
    return this;
  }

  public MetadataWriter setCurrentVersion(String modelName, String version) {
    redis.set(keys.currentVersion(modelName), version);
    return this;
  }

  public MetadataWriter addReplica(Replica replica) {
    redis.hset(keys.replica(replica.model(), replica.replicaId()), MetadataCodec.toHash(replica));
    redis.sadd(keys.replicas(), replica.key());
    return this;
  }

  /** Bumps the version counter and publishes it, as every management change ends. */
  public long publish() {
    long version = redis.incr(keys.version());
    redis.publish(keys.changes(), Long.toString(version));
    return version;
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
