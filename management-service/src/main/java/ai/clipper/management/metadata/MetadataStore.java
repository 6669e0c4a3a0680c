package ai.clipper.management.metadata;

import ai.clipper.metadata.App;
import ai.clipper.metadata.MetadataCodec;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.PolicyParams;
import ai.clipper.metadata.RedisKeys;
import ai.clipper.metadata.Replica;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Every read and write of apps, models, links, current versions and replicas, in the shared
 * {@link RedisKeys} layout. Writes go through {@link MetadataScripts}, so each is atomic with the
 * checks of the rules it could break, and ends with {@code INCR version} and
 * {@code PUBLISH changes <version>}; on a Redis with replicas, a write returns once one has it.
 */
@Component
public class MetadataStore {

  /** Replica hash fields a launcher adds to find its replicas again, e.g. {@code launch.pid}. */
  public static final String LAUNCH_FIELD = "launch.";

  /** How long a write waits for a replica to have it, at most (Redis's {@code WAIT}). */
  static final Duration REPLICA_ACK_TIMEOUT = Duration.ofSeconds(1);

  /** Any model version, to learn the layout's prefix of model version keys from. */
  private static final ModelId SOME_MODEL = new ModelId("m", "v");

  private final StringRedisTemplate redis;
  private final RedisKeys keys;
  private final ScriptedWrites writes;

  @Autowired
  public MetadataStore(StringRedisTemplate redis, RedisKeys keys) {
    this(redis, keys, REPLICA_ACK_TIMEOUT);
  }

  MetadataStore(StringRedisTemplate redis, RedisKeys keys, Duration replicaAckTimeout) {
    this.redis = redis;
    this.keys = keys;
    this.writes = new ScriptedWrites(redis, keys, replicaAckTimeout);
  }

  // ---- apps and links

  /** Adds the app; false when an app of that name exists. */
  public boolean addApp(App app) {
    return writes.run(MetadataScripts.CREATE, List.of(keys.apps(), keys.app(app.name())),
        List.of(app.name()), MetadataCodec.toHash(app));
  }

  /** Deletes the app with its links; false when there is no such app. */
  public boolean deleteApp(String name) {
    return writes.run(MetadataScripts.DELETE,
        List.of(keys.apps(), keys.app(name), keys.links(name)), List.of(name), Map.of());
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
   * frontend hears about, while the app exists and every model the parameters name is linked to it.
   *
   * @return empty when written; else NO_APP, or NOT_LINKED with a named model unlinked meanwhile
   */
  public Optional<Refusal> setSelectionPolicy(String app, String policy, PolicyParams params) {
    List<String> args = new ArrayList<>(List.of(app, Integer.toString(params.weights().size()),
        "policy", policy, "policy_params", params.toJson()));
    args.addAll(params.weights().keySet());
    return writes.check(MetadataScripts.SET_POLICY,
        List.of(keys.apps(), keys.app(app), keys.links(app)), args, Map.of());
  }

  /**
   * Links the models to the app, when each has a version, every version has the app's input type,
   * and none is linked yet.
   *
   * @return empty when linked; else NO_APP, NO_MODEL, INCOMPATIBLE_INPUT_TYPE (with the model's
   *     type) or ALREADY_LINKED, about the first model (in the given order) that breaks a rule
   */
  public Optional<Refusal> addLinks(String app, Collection<String> modelNames) {
    List<String> args = new ArrayList<>(List.of(app,
        ScriptedWrites.prefixOf(keys.model(SOME_MODEL), SOME_MODEL.toString())));
    args.addAll(modelNames);
    return writes.check(MetadataScripts.LINK,
        List.of(keys.apps(), keys.app(app), keys.links(app), keys.models()), args, Map.of());
  }

  /**
   * Unlinks the models from the app, when each is linked.
   *
   * @return empty when unlinked; else NO_APP, or NOT_LINKED about the first model not linked
   */
  public Optional<Refusal> removeLinks(String app, Collection<String> modelNames) {
    List<String> args = new ArrayList<>(List.of(app));
    args.addAll(modelNames);
    return writes.check(MetadataScripts.UNLINK, List.of(keys.apps(), keys.links(app)), args,
        Map.of());
  }

  /** The version counter every change bumps; 0 when nothing was ever written. */
  public long version() {
    String version = redis.opsForValue().get(keys.version());
    return version == null ? 0 : Long.parseLong(version);
  }

  // ---- models and versions

  /**
   * Adds the model version and makes it current, unless an app linked to the model's name has
   * another input type.
   *
   * @return empty when added; else INCOMPATIBLE_INPUT_TYPE (about the first such app by name,
   *     with its type) or EXISTS
   */
  public Optional<Refusal> addModel(Model model) {
    ModelId id = model.id();
    return writes.check(MetadataScripts.ADD_MODEL,
        List.of(keys.apps(), keys.models(), keys.model(id), keys.currentVersion(id.name())),
        List.of(id.toString(), id.version(), ScriptedWrites.prefixOf(keys.links("a"), "a"),
            ScriptedWrites.prefixOf(keys.app("a"), "a"), id.name()),
        MetadataCodec.toHash(model));
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
   * Deletes the model version with its replicas' records; when it was current, the newest
   * remaining version becomes current (or none). False when the version does not exist.
   */
  public boolean deleteModel(ModelId id) {
    String replicaPrefix = ScriptedWrites.prefixOf(keys.replica(id, 1), id + ":1");
    while (true) {
      String replacement = versions(id.name()).stream()
          .filter(version -> !version.equals(id.version()))
          .reduce((first, second) -> second)
          .orElse("");
      Optional<Refusal> refusal = writes.check(MetadataScripts.DELETE_MODEL,
          List.of(keys.models(), keys.model(id), keys.currentVersion(id.name()), keys.replicas()),
          List.of(id.toString(), id.version(), replacement, replicaPrefix), Map.of());
      // STALE: the replacement was deleted meanwhile, so choose again
      if (refusal.map(r -> r.reason() != Refusal.Reason.STALE).orElse(true)) {
        return refusal.isEmpty();
      }
    }
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
    return recordReplica(replica, launchInfo).isEmpty();
  }

  /**
   * Records a replica that registered itself, while its model version exists with the replica's
   * input type.
   *
   * @return empty when recorded; else NO_MODEL or INCOMPATIBLE_INPUT_TYPE (with the model's type)
   */
  public Optional<Refusal> registerReplica(Replica replica) {
    return recordReplica(replica, Map.of());
  }

  private Optional<Refusal> recordReplica(Replica replica, Map<String, String> launchInfo) {
    Map<String, String> hash = new LinkedHashMap<>(MetadataCodec.toHash(replica));
    launchInfo.forEach((field, value) -> hash.put(LAUNCH_FIELD + field, value));
    return writes.check(MetadataScripts.PUT_REPLICA,
        List.of(keys.models(), keys.replicas(), keys.replica(replica.model(), replica.replicaId()),
            keys.model(replica.model())),
        List.of(replica.model().toString(), replica.key(), replica.inputType().clipperName()),
        hash);
  }

  /** Changes a replica's status; false when the replica is not recorded. */
  public boolean setReplicaStatus(ModelId id, int replicaId, Replica.Status status) {
    return guarded(keys.replicas(), id + ":" + replicaId, keys.replica(id, replicaId), "HSET",
        List.of("status", status.name()));
  }

  /** Forgets a replica; false when it was not recorded. */
  public boolean removeReplica(ModelId id, int replicaId) {
    return writes.run(MetadataScripts.DELETE,
        List.of(keys.replicas(), keys.replica(id, replicaId)), List.of(id + ":" + replicaId),
        Map.of());
  }

  /**
   * Forgets a replica that registered itself.
   *
   * @return empty when forgotten; else NO_REPLICA, or LAUNCHED when a launcher started it
   */
  public Optional<Refusal> unregisterReplica(ModelId id, int replicaId) {
    return writes.check(MetadataScripts.REMOVE_REGISTERED_REPLICA,
        List.of(keys.replicas(), keys.replica(id, replicaId)),
        List.of(id + ":" + replicaId, LAUNCH_FIELD), Map.of());
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
    List<String> argv = new ArrayList<>(List.of(member, command));
    argv.addAll(args);
    return writes.run(MetadataScripts.GUARDED, List.of(guardSet, target), argv, Map.of());
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
