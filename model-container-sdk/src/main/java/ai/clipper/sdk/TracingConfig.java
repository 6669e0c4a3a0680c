package ai.clipper.sdk;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a container sends the {@code predict} spans of sampled queries, read from the standard
 * OpenTelemetry variables.
 *
 * <pre>{@code
 * OTEL_EXPORTER_ZIPKIN_ENDPOINT=http://127.0.0.1:9411/api/v2/spans   # Zipkin v2 JSON
 * OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318                  # OTLP/HTTP, + /v1/traces
 * }</pre>
 *
 * @param exporter the wire format
 * @param endpoint the URL spans are POSTed to
 * @param serviceName the service the spans belong to ({@code OTEL_SERVICE_NAME}, default
 *     {@code clipper-model-<model name>})
 */
public record TracingConfig(Exporter exporter, URI endpoint, String serviceName) {

  /** The span formats a container sends. */
  public enum Exporter { ZIPKIN, OTLP }

  /**
   * Reads {@code OTEL_TRACES_EXPORTER} ({@code zipkin}, {@code otlp} or {@code none}; by default
   * the exporter whose endpoint variable is set, else none), {@code OTEL_EXPORTER_ZIPKIN_ENDPOINT},
   * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}, {@code OTEL_EXPORTER_OTLP_ENDPOINT} and
   * {@code OTEL_SERVICE_NAME}; empty when tracing is off.
   *
   * @throws IllegalArgumentException when {@code OTEL_TRACES_EXPORTER} names another exporter
   */
  public static Optional<TracingConfig> fromEnvironment(Map<String, String> env,
      String modelName) {
    Optional<String> zipkin = nonBlank(env.get("OTEL_EXPORTER_ZIPKIN_ENDPOINT"));
    Optional<String> otlp = nonBlank(env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")).or(() ->
        nonBlank(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"))
            .map(base -> base.replaceAll("/+$", "") + "/v1/traces"));
    String chosen = nonBlank(env.get("OTEL_TRACES_EXPORTER")).map(v -> v.toLowerCase(Locale.ROOT))
        .orElse(zipkin.isPresent() ? "zipkin" : otlp.isPresent() ? "otlp" : "none");
    String service = nonBlank(env.get("OTEL_SERVICE_NAME")).orElse("clipper-model-" + modelName);
    // The endpoints the OpenTelemetry SDKs default to when only the exporter is named.
    return switch (chosen) {
      case "none" -> Optional.empty();
      case "zipkin" -> Optional.of(new TracingConfig(Exporter.ZIPKIN,
          URI.create(zipkin.orElse("http://localhost:9411/api/v2/spans")), service));
      case "otlp" -> Optional.of(new TracingConfig(Exporter.OTLP,
          URI.create(otlp.orElse("http://localhost:4318/v1/traces")), service));
      default -> throw new IllegalArgumentException(
          "Unknown OTEL_TRACES_EXPORTER (zipkin, otlp or none): " + chosen);
    };
  }

  private static Optional<String> nonBlank(String value) {
    return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
  }
}
