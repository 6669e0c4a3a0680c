package ai.clipper.metadata;

import ai.clipper.sdk.InputType;
import java.util.List;
import java.util.Map;

/**
 * One version of a model, with how to run it ({@code containerName}, plus {@code env}, extra
 * environment variables its containers get) and how to batch it ({@code batchSize}, -1 for
 * adaptive, and {@code batchWaitMicros}, how long a partial batch may wait to fill, 0 for no
 * wait). {@code numReplicas} is the desired number of launched replicas.
 */
public record Model(
    ModelId id,
    InputType inputType,
    List<String> labels,
    String containerName,
    String modelDataPath,
    int batchSize,
    long batchWaitMicros,
    int numReplicas,
    Map<String, String> env) {

  /** The container name that launches nothing: replicas register themselves. */
  public static final String NO_CONTAINER = "NO_CONTAINER";

  public Model {
    labels = List.copyOf(labels);
    env = Map.copyOf(env);
  }

  public boolean launchesContainers() {
    return !NO_CONTAINER.equals(containerName);
  }

  public Model withNumReplicas(int replicas) {
    return new Model(id, inputType, labels, containerName, modelDataPath, batchSize, batchWaitMicros,
        replicas, env);
  }
}
