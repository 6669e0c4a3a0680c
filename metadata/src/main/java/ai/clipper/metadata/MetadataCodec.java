package ai.clipper.metadata;

import ai.clipper.sdk.InputType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts the records to and from the Redis hashes both services read and write. */
public final class MetadataCodec {

  /** A model's extra environment variables are stored as hash fields {@code env.NAME}. */
  private static final String ENV_FIELD = "env.";

  private MetadataCodec() {
  }

  public static Map<String, String> toHash(App app) {
    Map<String, String> hash = new LinkedHashMap<>();
    hash.put("name", app.name());
    hash.put("input_type", app.inputType().clipperName());
    hash.put("default_output", app.defaultOutput());
    hash.put("latency_slo_micros", Long.toString(app.latencySloMicros()));
    hash.put("policy", app.policy());
    hash.put("cache_enabled", Boolean.toString(app.cacheEnabled()));
    hash.put("policy_params", app.policyParams().toJson());
    hash.put("overload", app.overload().wireName());
    return hash;
  }

  public static App toApp(Map<String, String> hash) {
    return new App(
        hash.get("name"),
        inputType(hash),
        hash.getOrDefault("default_output", ""),
        Long.parseLong(hash.get("latency_slo_micros")),
        hash.getOrDefault("policy", App.DEFAULT_POLICY),
        // apps written before the field existed keep the cache on
        !"false".equals(hash.get("cache_enabled")),
        PolicyParams.parse(hash.get("policy_params")),
        // apps written before the field existed answer the default, as Clipper does
        Overload.parse(hash.get("overload")).orElse(Overload.DEFAULT_OUTPUT));
  }

  public static Map<String, String> toHash(Model model) {
    Map<String, String> hash = new LinkedHashMap<>();
    hash.put("model_name", model.id().name());
    hash.put("model_version", model.id().version());
    hash.put("input_type", model.inputType().clipperName());
    hash.put("labels", String.join(",", model.labels()));
    hash.put("container_name", model.containerName());
    hash.put("model_data_path", model.modelDataPath());
    hash.put("batch_size", Integer.toString(model.batchSize()));
    hash.put("batch_wait_micros", Long.toString(model.batchWaitMicros()));
    hash.put("num_replicas", Integer.toString(model.numReplicas()));
    model.env().forEach((name, value) -> hash.put(ENV_FIELD + name, value));
    return hash;
  }

  public static Model toModel(Map<String, String> hash) {
    String labels = hash.getOrDefault("labels", "");
    return new Model(
        new ModelId(hash.get("model_name"), hash.get("model_version")),
        inputType(hash),
        labels.isEmpty() ? List.of() : Arrays.asList(labels.split(",")),
        hash.getOrDefault("container_name", Model.NO_CONTAINER),
        hash.getOrDefault("model_data_path", ""),
        Integer.parseInt(hash.getOrDefault("batch_size", "-1")),
        Long.parseLong(hash.getOrDefault("batch_wait_micros", "0")),
        Integer.parseInt(hash.getOrDefault("num_replicas", "0")),
        envOf(hash));
  }

  public static Map<String, String> toHash(Replica replica) {
    Map<String, String> hash = new LinkedHashMap<>();
    hash.put("model_name", replica.model().name());
    hash.put("model_version", replica.model().version());
    hash.put("model_replica_id", Integer.toString(replica.replicaId()));
    hash.put("host", replica.host());
    hash.put("port", Integer.toString(replica.port()));
    hash.put("input_type", replica.inputType().clipperName());
    hash.put("status", replica.status().name());
    return hash;
  }

  public static Replica toReplica(Map<String, String> hash) {
    return new Replica(
        new ModelId(hash.get("model_name"), hash.get("model_version")),
        Integer.parseInt(hash.get("model_replica_id")),
        hash.get("host"),
        Integer.parseInt(hash.get("port")),
        inputType(hash),
        Replica.Status.valueOf(hash.getOrDefault("status", "DOWN")));
  }

  private static Map<String, String> envOf(Map<String, String> hash) {
    Map<String, String> env = new LinkedHashMap<>();
    hash.forEach((field, value) -> {
      if (field.startsWith(ENV_FIELD)) {
        env.put(field.substring(ENV_FIELD.length()), value);
      }
    });
    return env;
  }

  private static InputType inputType(Map<String, String> hash) {
    String name = hash.get("input_type");
    return InputType.parse(name).orElseThrow(
        () -> new IllegalArgumentException("Unknown input_type in Redis: " + name));
  }
}
