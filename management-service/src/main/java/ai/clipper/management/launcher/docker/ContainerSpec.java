package ai.clipper.management.launcher.docker;

import ai.clipper.management.config.ManagementProperties;
import ai.clipper.management.launcher.ContainerTelemetry;
import ai.clipper.management.launcher.ModelArtifacts;
import ai.clipper.metadata.Model;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What one replica's container is created with, as a pure function of the model and the settings,
 * so that labels, environment and networking are testable without an engine.
 *
 * @param image the image: the model's {@code container_name}, or its framework runtime's image
 * @param name a unique container name (also its DNS name on a user-defined network)
 * @param labels the labels that tell our containers (and their model, version, replica) apart
 * @param env the {@code CLIPPER_*} and OpenTelemetry variables and the model's own environment,
 *     as {@code K=V}
 * @param network the network to join instead of publishing the port, or null
 */
record ContainerSpec(String image, String name, Map<String, String> labels, List<String> env,
    String network) {

  /** The port a model listens on inside its container. */
  static final int CONTAINER_PORT = 7000;
  static final String MANAGED = "ai.clipper.managed";
  static final String MODEL = "ai.clipper.model";
  static final String VERSION = "ai.clipper.version";
  static final String REPLICA = "ai.clipper.replica";

  private static final Pattern UNSAFE_IN_NAME = Pattern.compile("[^a-zA-Z0-9_.-]");

  static ContainerSpec of(Model model, int replicaId, ManagementProperties.Docker settings,
      ModelArtifacts artifacts, ContainerTelemetry telemetry) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED, "true");
    labels.put(MODEL, model.id().name());
    labels.put(VERSION, model.id().version());
    labels.put(REPLICA, Integer.toString(replicaId));
    String name = UNSAFE_IN_NAME.matcher("clipper-" + model.id().name() + "-"
        + model.id().version() + "-" + replicaId).replaceAll("_")
        // a replica restarted after a crash gets a new container; the old one may linger a moment
        + "-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> env = new LinkedHashMap<>(model.env());
    env.putAll(artifacts.env(model));
    env.putAll(telemetry.env(model, ContainerTelemetry.CONTAINER_METRICS_PORT));
    env.put("CLIPPER_MODEL_NAME", model.id().name());
    env.put("CLIPPER_MODEL_VERSION", model.id().version());
    env.put("CLIPPER_INPUT_TYPE", model.inputType().clipperName());
    env.put("CLIPPER_PORT", Integer.toString(CONTAINER_PORT));
    env.put("CLIPPER_CONTAINER_HOST",
        settings.network().isPresent() ? name : settings.advertisedHost());
    List<String> pairs = new ArrayList<>();
    env.forEach((key, value) -> pairs.add(key + "=" + value));
    return new ContainerSpec(artifacts.image(model), name, Map.copyOf(labels), List.copyOf(pairs),
        settings.network().orElse(null));
  }

  /**
   * Whether the model and metrics ports are published, bound to loopback: unless replicas share
   * a network with the frontends (and Prometheus), which reach them by name.
   */
  boolean publishesPort() {
    return network == null;
  }
}
