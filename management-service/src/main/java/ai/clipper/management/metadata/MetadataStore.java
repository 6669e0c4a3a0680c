package ai.clipper.management.metadata;

import ai.clipper.metadata.App;
import ai.clipper.metadata.MetadataCodec;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.PolicyParams;
import ai.clipper.metadata.RedisKeys;
import ai.clipper.metadata.Replica;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Every read and write of apps, models, links, current versions and replicas, in the shared
 * {@link RedisKeys} layout. Writes go through {@link MetadataScripts}, so each is atomic and ends
 * with {@code INCR version} and {@code PUBLISH changes <version>}; on a Redis with replicas, a
 * write returns once one has it (see {@link #awaitReplica}).
 */
@Component
public class MetadataStore {

  /** Replica hash fields a launcher adds to find its replicas again, e.g. {@code launch.pid}. */
  public static final String LAUNCH_FIELD = "launch.";

  /** How long a write waits for a replica to have it, at most (Redis's {@code WAIT}). */
  static final Duration REPLICA_ACK_TIMEOUT = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(MetadataStore.class);

  private final StringRedisTemplate redis;
  private final RedisKeys keys;
  private final Duration replicaAckTimeout;
  private final boolean cluster;

  @Autowired
  public MetadataStore(StringRedisTemplate redis, RedisKeys keys) {
    this(redis, keys, REPLICA_ACK_TIMEOUT);
  }

  MetadataStore(StringRedisTemplate redis, RedisKeys keys, Duration replicaAckTimeout) {
    this.redis = redis;
    this.keys = keys;
    this.replicaAckTimeout = replicaAckTimeout;
    this.cluster = redis.getRequiredConnectionFactory() instanceof LettuceConnectionFactory lettuce
        && lettuce.isClusterAware();
  }

  // ---- apps and links

  /** Adds the app; false when an app of that name exists. */
  public boolean addApp(App app) {
    return run(MetadataScripts.CREATE, List.of(keys.apps(), keys.app(app.name())),
        List.of(app.name(), ""), MetadataCodec.toHash(app));
  }

  /** Deletes the app with its links; false when there is no such app. */
  public boolean deleteApp(String name) {
    return run(MetadataScripts.DELETE, List.of(keys.apps(), keys.app(name), keys.links(name)),
        List.of(name), Map.of());
  }

  public Optional<App> app(String name) {
    Map<String, String> hash = hash(keys.app(name));
    return hash.isEmpty() ? Optional.empty() : Optional.of(MetadataCodec.toApp(hash));
  }

  /** All apps, by name. */
  public List<App> apps() {
    return sorted(keys.apps()).stream().flatMap(name -> app(name).stream()).toList();
  }

  /** The names of the models linked to the app, sorted. */
  public Set<String> links(String app) {
    return sorted(keys.links(app));
  }

  /**
   * Sets the app's selection policy and its (validated) parameters, as one write that every
   * frontend hears about; false when the app no longer exists.
   */
  public boolean setSelectionPolicy(String app, String policy, PolicyParams params) {
    return guarded(keys.apps(), app, keys.app(app), "HSET",
        List.of("policy", policy, "policy_params", params.toJson()));
  }

  /** Links the models to the app; false when the app no longer exists. */
  public boolean addLinks(String app, Collection<String> modelNames) {
    return guarded(keys.apps(), app, keys.links(app), "SADD", modelNames);
  }

  /** Unlinks the models from the app; false when the app no longer exists. */
  public boolean removeLinks(String app, Collection<String> modelNames) {
    return guarded(keys.apps(), app, keys.links(app), "SREM", modelNames);
  }

  /** The version counter every change bumps; 0 when nothing was ever written. */
  public long version() {
    String version = redis.opsForValue().get(keys.version());
    return version == null ? 0 : Long.parseLong(version);
  }

  // ---- models and versions

  /** Adds the model version and makes it current; false when that version exists. */
  public boolean addModel(Model model) {
    ModelId id = model.id();
    return run(MetadataScripts.CREATE,
        List.of(keys.models(), keys.model(id), keys.currentVersion(id.name())),
        List.of(id.toString(), id.version()), MetadataCodec.toHash(model));
  }

  public Optional<Model> model(ModelId id) {
    Map<String, String> hash = hash(keys.model(id));
    return hash.isEmpty() ? Optional.empty() : Optional.of(MetadataCodec.toModel(hash));
  }

  /** All model versions, by name then version. */
  public List<Model> models() {
    return sorted(keys.models()).stream()
        .flatMap(id -> model(ModelId.parse(id)).stream())
        .toList();
  }

  /** The versions of the named model, oldest-looking first (numeric versions compare as numbers). */
  public List<String> versions(String modelName) {
    return sorted(keys.models()).stream()
        .map(ModelId::parse)
        .filter(id -> id.name().equals(modelName))
        .map(ModelId::version)
        .sorted(VERSION_ORDER)
        .toList();
  }

  public Optional<String> currentVersion(String modelName) {
    return Optional.ofNullable(redis.opsForValue().get(keys.currentVersion(modelName)));
  }

  /** Makes the version current; false when that version does not exist. */
  public boolean setCurrentVersion(ModelId id) {
    return guarded(keys.models(), id.toString(), keys.currentVersion(id.name()), "SET",
        List.of(id.version()));
  }

  /**
   * Deletes the model version; when it was current, the newest remaining version becomes current
   * (or none). False when the version does not exist.
   */
  public boolean deleteModel(ModelId id) {
    String replacement = versions(id.name()).stream()
        .filter(version -> !version.equals(id.version()))
        .reduce((first, second) -> second)
        .orElse("");
    return run(MetadataScripts.DELETE_MODEL,
        List.of(keys.models(), keys.model(id), keys.currentVersion(id.name())),
        List.of(id.toString(), id.version(), replacement), Map.of());
  }

  /** Records the desired number of launched replicas; false when the version does not exist. */
  public boolean setNumReplicas(ModelId id, int numReplicas) {
    return guarded(keys.models(), id.toString(), keys.model(id), "HSET",
        List.of("num_replicas", Integer.toString(numReplicas)));
  }

  // ---- replicas

  /** Hands out the next replica id of a model version (1, 2, ...). */
  public int nextReplicaId(ModelId id) {
    return Math.toIntExact(redis.opsForValue().increment(keys.replicaCounter(id)));
  }

  /**
   * Records (or replaces) a replica with the launcher's own fields ({@link #LAUNCH_FIELD} names);
   * false when its model version no longer exists.
   */
  public boolean putReplica(Replica replica, Map<String, String> launchInfo) {
    Map<String, String> hash = new LinkedHashMap<>(MetadataCodec.toHash(replica));
    launchInfo.forEach((field, value) -> hash.put(LAUNCH_FIELD + field, value));
    return run(MetadataScripts.PUT_REPLICA,
        List.of(keys.models(), keys.replicas(), keys.replica(replica.model(), replica.replicaId())),
        List.of(replica.model().toString(), replica.key()), hash);
  }

  /** Changes a replica's status; false when the replica is not recorded. */
  public boolean setReplicaStatus(ModelId id, int replicaId, Replica.Status status) {
    return guarded(keys.replicas(), id + ":" + replicaId, keys.replica(id, replicaId), "HSET",
        List.of("status", status.name()));
  }

  /** Forgets a replica; false when it was not recorded. */
  public boolean removeReplica(ModelId id, int replicaId) {
    return run(MetadataScripts.DELETE, List.of(keys.replicas(), keys.replica(id, replicaId)),
        List.of(id + ":" + replicaId), Map.of());
  }

  public Optional<Replica> replica(ModelId id, int replicaId) {
    Map<String, String> hash = hash(keys.replica(id, replicaId));
    return hash.isEmpty() ? Optional.empty() : Optional.of(MetadataCodec.toReplica(hash));
  }

  /** The launcher's fields of a replica, without their {@link #LAUNCH_FIELD} prefix. */
  public Map<String, String> launchInfo(ModelId id, int replicaId) {
    Map<String, String> info = new LinkedHashMap<>();
    hash(keys.replica(id, replicaId)).forEach((field, value) -> {
      if (field.startsWith(LAUNCH_FIELD)) {
        info.put(field.substring(LAUNCH_FIELD.length()), value);
      }
    });
    return info;
  }

  /** All replicas, by model then replica id. */
  public List<Replica> replicas() {
    List<Replica> replicas = new ArrayList<>();
    for (String key : sorted(keys.replicas())) {
      int colon = key.lastIndexOf(':');
      replica(ModelId.parse(key.substring(0, colon)), Integer.parseInt(key.substring(colon + 1)))
          .ifPresent(replicas::add);
    }
    replicas.sort(Comparator.comparing((Replica r) -> r.model().toString())
        .thenComparingInt(Replica::replicaId));
    return replicas;
  }

  /** The replicas of one model version, by replica id. */
  public List<Replica> replicas(ModelId id) {
    return replicas().stream().filter(replica -> replica.model().equals(id)).toList();
  }

  // ---- plumbing

  /** Numeric versions in numeric order, then the others alphabetically. */
  private static final Comparator<String> VERSION_ORDER = Comparator
      .comparing((String v) -> !v.matches("\\d{1,18}"))
      .thenComparing(v -> v.matches("\\d{1,18}") ? Long.parseLong(v) : 0L)
      .thenComparing(Comparator.naturalOrder());

  private boolean guarded(String guardSet, String member, String target, String command,
      Collection<String> args) {
    List<String> argv = new ArrayList<>(List.of(keys.changes(), member, command));
    argv.addAll(args);
    return execute(MetadataScripts.GUARDED, List.of(guardSet, target), argv);
  }

  private boolean run(RedisScript<Long> script, List<String> keyList, List<String> args,
      Map<String, String> fields) {
    List<String> argv = new ArrayList<>();
    argv.add(keys.changes());
    argv.addAll(args);
    fields.forEach((field, value) -> {
      argv.add(field);
      argv.add(value);
    });
    return execute(script, keyList, argv);
  }

  private boolean execute(RedisScript<Long> script, List<String> keyList, List<String> argv) {
    List<String> allKeys = new ArrayList<>();
    allKeys.add(keys.version());
    allKeys.addAll(keyList);
    Long result = redis.execute(script, allKeys, argv.toArray());
    if (result == null || result != 1L) {
      return false;
    }
    awaitReplica();
    return true;
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

  private Map<String, String> hash(String key) {
    Map<Object, Object> raw = redis.opsForHash().entries(key);
    Map<String, String> hash = new LinkedHashMap<>();
    raw.forEach((field, value) -> hash.put((String) field, (String) value));
    return hash;
  }

  private Set<String> sorted(String setKey) {
    Set<String> members = redis.opsForSet().members(setKey);
    return members == null ? new TreeSet<>() : new TreeSet<>(members);
  }
}
