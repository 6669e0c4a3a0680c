package ai.clipper.metadata;

/**
 * The Redis key layout, in one logical database under one prefix: a hash per app, model version
 * and replica, sets as indexes (never {@code KEYS *}), a version counter bumped by every change,
 * and one channel on which every change is published. The default prefix is a hash tag, so on a
 * Redis Cluster every key lives in one slot and the metadata's multi-key Lua scripts run there.
 */
public record RedisKeys(String prefix) {

  public static final String DEFAULT_PREFIX = "{clipper}:";

  /** The prefix before the hash tag, whose keys the management service migrates on start. */
  public static final String LEGACY_PREFIX = "clipper:";

  /** Set of app names. */
  public String apps() {
    return prefix + "apps";
  }

  /** Hash of one app. */
  public String app(String name) {
    return prefix + "app:" + name;
  }

  /** Set of the model names linked to an app. */
  public String links(String app) {
    return prefix + "links:" + app;
  }

  /** Set of {@code name:version} of every model version. */
  public String models() {
    return prefix + "models";
  }

  /** Hash of one model version. */
  public String model(ModelId id) {
    return prefix + "model:" + id;
  }

  /** String: the current version of a model. */
  public String currentVersion(String modelName) {
    return prefix + "current-version:" + modelName;
  }

  /** Set of {@code name:version:replica} of every replica. */
  public String replicas() {
    return prefix + "replicas";
  }

  /** Hash of one replica. */
  public String replica(ModelId id, int replicaId) {
    return prefix + "replica:" + id + ":" + replicaId;
  }

  /** Counter handing out replica ids per model version. */
  public String replicaCounter(ModelId id) {
    return prefix + "replica-counter:" + id;
  }

  /**
   * Hash of the selection state of one (app, uid): per linked model name, fields
   * {@code <model>.loss} (the sum of its losses) and {@code <model>.count} (how many feedbacks
   * scored it), only ever changed by atomic increments.
   */
  public String selectionState(String app, int uid) {
    return prefix + "selection:" + app + ":" + uid;
  }

  /** Counter bumped by every metadata change; frontends resync when it moves. */
  public String version() {
    return prefix + "version";
  }

  /** Channel on which the new {@link #version()} is published after every change. */
  public String changes() {
    return prefix + "changes";
  }
}
