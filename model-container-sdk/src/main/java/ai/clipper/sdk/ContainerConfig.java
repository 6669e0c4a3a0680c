package ai.clipper.sdk;

import java.net.URI;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where and as what a container serves: model name, version, input type, port, the management
 * service to register with and its token (both optional), and where its metrics and spans go.
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
 * @param sampleInput an input the model predicts once before the container serves, so its first
 *     query finds it warm and a model that cannot answer fails at once ({@code
 *     CLIPPER_SAMPLE_INPUT}: numbers separated by commas, or the string, or base64 bytes)
 * @param metricsPort the port of the Prometheus endpoint {@code /metrics}, 0 for none
 *     ({@code CLIPPER_METRICS_PORT})
 * @param tracing where the spans of sampled queries go, empty for nowhere ({@code OTEL_*}
 *     variables, see {@link TracingConfig#fromEnvironment})
 */
public record ContainerConfig(
    String modelName,
    String modelVersion,
    InputType inputType,
    int port,
    String advertisedHost,
    Optional<URI> managementUrl,
    Optional<String> managementToken,
    Optional<String> sampleInput,
    int metricsPort,
    Optional<TracingConfig> tracing) {

  /** The port Clipper's containers use when none is given. */
  public static final int DEFAULT_PORT = 7000;

  /** A configuration without metrics or tracing. */
  public ContainerConfig(String modelName, String modelVersion, InputType inputType, int port,
      String advertisedHost, Optional<URI> managementUrl, Optional<String> managementToken,
      Optional<String> sampleInput) {
    this(modelName, modelVersion, inputType, port, advertisedHost, managementUrl,
        managementToken, sampleInput, 0, Optional.empty());
  }

  /** A configuration without a sample input, metrics or tracing. */
  public ContainerConfig(String modelName, String modelVersion, InputType inputType, int port,
      String advertisedHost, Optional<URI> managementUrl, Optional<String> managementToken) {
    this(modelName, modelVersion, inputType, port, advertisedHost, managementUrl,
        managementToken, Optional.empty());
  }

  /** This configuration serving metrics on {@code port} (0: none). */
  public ContainerConfig withMetricsPort(int port) {
    return new ContainerConfig(modelName, modelVersion, inputType, this.port, advertisedHost,
        managementUrl, managementToken, sampleInput, port, tracing);
  }

  /** This configuration sending spans as {@code tracing} says. */
  public ContainerConfig withTracing(TracingConfig tracing) {
    return new ContainerConfig(modelName, modelVersion, inputType, port, advertisedHost,
        managementUrl, managementToken, sampleInput, metricsPort, Optional.of(tracing));
  }

  /**
   * The sample input in the form the model takes ({@code double[]}, {@code float[]},
   * {@code int[]}, {@code String} or {@code byte[]}).
   *
   * @throws IllegalArgumentException when it is not of the input type
   */
  public Optional<Object> sample() {
    return sampleInput.map(text -> switch (inputType) {
      case DOUBLES -> numbers(text).mapToDouble(Double::parseDouble).toArray();
      case FLOATS -> {
        double[] values = numbers(text).mapToDouble(Double::parseDouble).toArray();
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
          floats[i] = (float) values[i];
        }
        yield floats;
      }
      case INTS -> numbers(text).mapToInt(Integer::parseInt).toArray();
      case STRINGS -> text;
      case BYTES -> Base64.getDecoder().decode(text);
    });
  }

  private static Stream<String> numbers(String text) {
    return text.isBlank() ? Stream.empty()
        : Arrays.stream(text.split(",")).map(String::strip);
  }

  /** Reads the {@code CLIPPER_*} and {@code OTEL_*} environment variables of this process. */
  public static ContainerConfig fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /** Reads the {@code CLIPPER_*} and {@code OTEL_*} variables from the given map. */
  public static ContainerConfig fromEnvironment(Map<String, String> env) {
    String type = env.getOrDefault("CLIPPER_INPUT_TYPE", "doubles");
    String name = env.getOrDefault("CLIPPER_MODEL_NAME", "model");
    return new ContainerConfig(
        name,
        env.getOrDefault("CLIPPER_MODEL_VERSION", "1"),
        InputType.parse(type).orElseThrow(
            () -> new IllegalArgumentException("Unknown CLIPPER_INPUT_TYPE: " + type)),
        Integer.parseInt(env.getOrDefault("CLIPPER_PORT", String.valueOf(DEFAULT_PORT))),
        env.getOrDefault("CLIPPER_CONTAINER_HOST", "127.0.0.1"),
        nonBlank(env.get("CLIPPER_MANAGEMENT_URL")).map(URI::create),
        nonBlank(env.get("CLIPPER_MANAGEMENT_AUTH_TOKEN")),
        Optional.ofNullable(env.get("CLIPPER_SAMPLE_INPUT")),
        nonBlank(env.get("CLIPPER_METRICS_PORT")).map(Integer::parseInt).orElse(0),
        TracingConfig.fromEnvironment(env, name));
  }

  private static Optional<String> nonBlank(String value) {
    return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
  }
}
