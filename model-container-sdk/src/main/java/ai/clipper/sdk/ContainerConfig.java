package ai.clipper.sdk;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Where and as what a container serves: model name, version, input type, port, and the management
 * service to register with and its token (both optional).
 *
 * <pre>{@code
 * ContainerConfig config = ContainerConfig.fromEnvironment();   // CLIPPER_* variables
 * ContainerConfig local = new ContainerConfig("sum", "1", InputType.DOUBLES, 7000,
 *     "127.0.0.1", Optional.empty(), Optional.empty());
 * }</pre>
 *
 * @param modelName the model's name ({@code CLIPPER_MODEL_NAME})
 * @param modelVersion the model's version ({@code CLIPPER_MODEL_VERSION})
 * @param inputType the input type ({@code CLIPPER_INPUT_TYPE}, default doubles)
 * @param port the gRPC port, 0 for any free one ({@code CLIPPER_PORT}, default 7000)
 * @param advertisedHost the host the frontend dials, used when registering
 *     ({@code CLIPPER_CONTAINER_HOST}, default 127.0.0.1)
 * @param managementUrl the management service to register with ({@code CLIPPER_MANAGEMENT_URL})
 * @param managementToken the bearer token the management service requires when it runs with
 *     {@code clipper.management.auth-token} ({@code CLIPPER_MANAGEMENT_AUTH_TOKEN}, the variable
 *     that sets that property, so one value serves both)
 */
public record ContainerConfig(
    String modelName,
    String modelVersion,
    InputType inputType,
    int port,
    String advertisedHost,
    Optional<URI> managementUrl,
    Optional<String> managementToken) {

  /** The port Clipper's containers use when none is given. */
  public static final int DEFAULT_PORT = 7000;

  /** Reads the {@code CLIPPER_*} environment variables of this process. */
  public static ContainerConfig fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /** Reads the {@code CLIPPER_*} variables from the given map. */
  public static ContainerConfig fromEnvironment(Map<String, String> env) {
    String type = env.getOrDefault("CLIPPER_INPUT_TYPE", "doubles");
    return new ContainerConfig(
        env.getOrDefault("CLIPPER_MODEL_NAME", "model"),
        env.getOrDefault("CLIPPER_MODEL_VERSION", "1"),
        InputType.parse(type).orElseThrow(
            () -> new IllegalArgumentException("Unknown CLIPPER_INPUT_TYPE: " + type)),
        Integer.parseInt(env.getOrDefault("CLIPPER_PORT", String.valueOf(DEFAULT_PORT))),
        env.getOrDefault("CLIPPER_CONTAINER_HOST", "127.0.0.1"),
        nonBlank(env.get("CLIPPER_MANAGEMENT_URL")).map(URI::create),
        nonBlank(env.get("CLIPPER_MANAGEMENT_AUTH_TOKEN")));
  }

  private static Optional<String> nonBlank(String value) {
    return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
  }
}
