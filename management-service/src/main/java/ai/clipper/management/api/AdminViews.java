package ai.clipper.management.api;

import ai.clipper.metadata.App;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import ai.clipper.metadata.Replica;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** The JSON answers of the admin API, with Clipper's field names (snake_case on the wire). */
final class AdminViews {

  private AdminViews() {
  }

  /** Every mutation answers Clipper's success sentence. */
  record Message(String message) {
  }

  /**
   * Clipper's app fields, plus our {@code cache_enabled}, selection policy and its params, and
   * {@code overload}.
   */
  record AppView(String name, String inputType, String defaultOutput, long latencySloMicros,
      List<String> linkedModels, boolean cacheEnabled, String selectionPolicy,
      JsonNode policyParams, String overload) {

    static AppView of(App app, Collection<String> linkedModels) {
      return new AppView(app.name(), app.inputType().clipperName(), app.defaultOutput(),
          app.latencySloMicros(), List.copyOf(linkedModels), app.cacheEnabled(), app.policy(),
          app.policyParams().toJsonNode(), app.overload().wireName());
    }
  }

  /**
   * Clipper's model fields, plus our {@code batch_size}, {@code batch_wait_micros} and
   * {@code num_replicas}.
   */
  record ModelView(String modelName, String modelVersion, String inputType, List<String> labels,
      String containerName, String modelDataPath, boolean isCurrentVersion, int batchSize,
      long batchWaitMicros, int numReplicas,
      @JsonInclude(JsonInclude.Include.NON_NULL) String sampleInput) {

    static ModelView of(Model model, boolean current) {
      return new ModelView(model.id().name(), model.id().version(),
          model.inputType().clipperName(), model.labels(), model.containerName(),
          model.modelDataPath(), current, model.batchSize(), model.batchWaitMicros(),
          model.numReplicas(), model.env().get("CLIPPER_SAMPLE_INPUT"));
    }
  }

  /** Clipper's container fields, plus where the replica listens and whether it is UP. */
  record ContainerView(String modelId, String modelName, String modelVersion, int modelReplicaId,
      String inputType, String host, int port, String status) {

    static ContainerView of(Replica replica) {
      return new ContainerView(replica.model().toString(), replica.model().name(),
          replica.model().version(), replica.replicaId(), replica.inputType().clipperName(),
          replica.host(), replica.port(), replica.status().name());
    }
  }

  /** @param lastExit what the replica last wrote before it exited, while it is not UP again */
  record ReplicaView(int modelReplicaId, String host, int port, String status,
      @JsonInclude(JsonInclude.Include.NON_NULL) String lastExit) {

    static ReplicaView of(Replica replica, Optional<String> lastExit) {
      return new ReplicaView(replica.replicaId(), replica.host(), replica.port(),
          replica.status().name(), lastExit.orElse(null));
    }
  }

  record ReplicaId(int modelReplicaId) {
  }

  /** A replica's last output lines, oldest first, named as {@link ContainerView} names it. */
  record ReplicaLogs(String modelId, String modelName, String modelVersion, int modelReplicaId,
      List<String> lines) {

    static ReplicaLogs of(ModelId id, int replicaId, List<String> lines) {
      return new ReplicaLogs(id.toString(), id.name(), id.version(), replicaId, lines);
    }
  }
}
