package ai.clipper.management.launcher;

import ai.clipper.metadata.Model;
import ai.clipper.metadata.Replica;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Starts model containers (Clipper's launcher abstraction): as local processes, Docker containers
 * or Kubernetes pods. The {@link ReplicaSupervisor} decides how many; a launcher only knows how.
 */
public interface ContainerLauncher {

  /**
   * Checks that this launcher can run the model's {@code container_name}.
   *
   * @throws UnknownContainerException when it cannot
   */
  void check(Model model);

  /** Starts one replica of the model; it answers gRPC on the returned container's port. */
  RunningContainer start(Model model, int replicaId) throws IOException;

  /**
   * Finds a replica this launcher started before a restart of the service, from the fields its
   * {@link RunningContainer#launchInfo()} recorded; empty when it is gone or not ours.
   */
  Optional<RunningContainer> reattach(Replica replica, Map<String, String> launchInfo);
}
