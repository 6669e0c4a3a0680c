package ai.clipper.management.launcher;

import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import java.util.Optional;

/**
 * What the admin API asks of whoever runs model containers: check a model can run, keep a number of
 * its replicas, stop them all. The {@link ReplicaSupervisor} does it replica by replica through a
 * {@link ContainerLauncher}; on Kubernetes a Deployment does it (launcher type {@code kubernetes}).
 */
public interface ReplicaScaler {

  /**
   * Checks that the model's {@code container_name} can be run.
   *
   * @throws UnknownContainerException when it cannot
   */
  void check(Model model);

  /** Keeps {@code count} replicas of the model version running. */
  void scale(Model model, int count);

  /** Stops every replica of the model version. */
  void stopAll(ModelId id);

  /**
   * The last lines a replica wrote before it last exited (a model that does not load says why
   * there); empty when it has not exited or nothing was kept.
   */
  default Optional<String> lastExit(ModelId id, int replicaId) {
    return Optional.empty();
  }
}
