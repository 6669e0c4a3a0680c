package ai.clipper.management.launcher;

import ai.clipper.metadata.ModelId;
import java.util.List;
import java.util.Optional;

/** Where the admin API reads what a launched replica wrote (its stdout and stderr). */
public interface ReplicaOutputs {

  /**
   * The last {@code lines} lines the replica wrote, oldest first; empty when this service did not
   * launch it (it registered itself) or no longer knows where it runs.
   */
  Optional<List<String>> output(ModelId id, int replicaId, int lines);
}
