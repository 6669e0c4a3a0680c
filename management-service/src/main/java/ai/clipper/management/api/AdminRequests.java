package ai.clipper.management.api;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The JSON bodies of Clipper's admin API (snake_case on the wire, see application.yml). Fields
 * are boxed so that a missing one is seen as null and answered with Clipper's 400.
 */
final class AdminRequests {

  private AdminRequests() {
  }

  /**
   * {@code cache_enabled} is ours, optional, and defaults to true (Clipper always caches);
   * {@code overload} is ours too: {@code "default"} (Clipper's behaviour) or {@code "reject"}.
   */
  record AddApp(String name, String inputType, String defaultOutput, Long latencySloMicros,
      Boolean cacheEnabled, String overload) {
  }

  /** Ours: {@code params} is a JSON object whose fields depend on the policy. */
  record SetSelectionPolicy(String appName, String policy,
      tools.jackson.databind.JsonNode params) {
  }

  record AppName(String name) {
  }

  record ForApp(String appName) {
  }

  record GetState(String appName, Long uid) {
  }

  record Links(String appName, List<String> modelNames) {
  }

  record AddModel(String modelName, String modelVersion, List<String> labels, String inputType,
      String containerName, String modelDataPath, Integer batchSize, Long batchWaitMicros,
      Map<String, String> env, JsonNode sampleInput) {
  }

  record ModelVersion(String modelName, String modelVersion) {
  }

  record Verbose(Boolean verbose) {

    static boolean of(Verbose request) {
      return request != null && Boolean.TRUE.equals(request.verbose());
    }
  }

  record GetContainer(String modelName, String modelVersion, Integer replicaId) {
  }

  record SetNumReplicas(String modelName, String modelVersion, Integer numReplicas) {
  }

  record AddReplica(String modelName, String modelVersion, String inputType, String host,
      Integer port) {
  }

  record RemoveReplica(String modelName, String modelVersion, Integer modelReplicaId) {
  }
}
