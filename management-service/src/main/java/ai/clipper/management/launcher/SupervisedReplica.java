package ai.clipper.management.launcher;

import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;

/**
 * One replica the {@link ReplicaSupervisor} keeps running: its identity, the process (or container)
 * currently serving it, and how often it crashed in a row (for the restart backoff).
 */
final class SupervisedReplica {

  final Model model;
  final int replicaId;
  volatile RunningContainer container;
  volatile boolean stopping;
  volatile int crashesInRow;

  SupervisedReplica(Model model, int replicaId) {
    this.model = model;
    this.replicaId = replicaId;
  }

  /** Whether {@code candidate} is still the container this replica wants. */
  boolean isCurrent(RunningContainer candidate) {
    return !stopping && container == candidate;
  }

  /** How replicas are named in logs and keyed in maps: {@code name:version:replicaId}. */
  static String key(ModelId id, int replicaId) {
    return id + ":" + replicaId;
  }

  @Override
  public String toString() {
    return key(model.id(), replicaId);
  }
}
