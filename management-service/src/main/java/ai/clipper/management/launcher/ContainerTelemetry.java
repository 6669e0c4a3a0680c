package ai.clipper.management.launcher;

import ai.clipper.management.config.ManagementProperties;
import ai.clipper.metadata.Model;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every launched container is told about its traces and metrics (the contract
 * docs/observability.md describes): the standard OpenTelemetry variables for where its spans go,
 * and {@code CLIPPER_METRICS_PORT}, where it serves Prometheus metrics. The port is recorded with the replica's launch fields as
 * {@link #METRICS_PORT_FIELD}, which is how Prometheus' service discovery finds it again.
 */
public record ContainerTelemetry(ManagementProperties.Tracing tracing) {

  /** The metrics port inside a Docker container or a Kubernetes pod (OpenTelemetry's default). */
  public static final int CONTAINER_METRICS_PORT = 9464;

  /** The launch field holding the port at which the replica's host serves its metrics. */
  public static final String METRICS_PORT_FIELD = "metrics_port";

  public static ContainerTelemetry of(ManagementProperties properties) {
    return new ContainerTelemetry(properties.containers().tracing());
  }

  /** The variables of a replica of {@code model} serving its metrics on {@code metricsPort}. */
  public Map<String, String> env(Model model, int metricsPort) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CLIPPER_METRICS_PORT", Integer.toString(metricsPort));
    env.put("OTEL_SERVICE_NAME", "clipper-model-" + model.id().name());
    tracing.zipkinEndpoint().ifPresent(endpoint -> {
      env.put("OTEL_TRACES_EXPORTER", "zipkin");
      env.put("OTEL_EXPORTER_ZIPKIN_ENDPOINT", endpoint);
    });
    tracing.otlpEndpoint().ifPresent(endpoint -> {
      env.put("OTEL_TRACES_EXPORTER", "otlp");
      env.put("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint);
    });
    return env;
  }
}
