package ai.clipper.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clipper.sdk.TracingConfig.Exporter;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingConfigTest {

  @Test
  void tracesNothingWithoutAnExporterOrEndpoint() {
    assertThat(TracingConfig.fromEnvironment(Map.of(), "m")).isEmpty();
    assertThat(TracingConfig.fromEnvironment(Map.of("OTEL_TRACES_EXPORTER", "none",
        "OTEL_EXPORTER_ZIPKIN_ENDPOINT", "http://zipkin:9411/api/v2/spans"), "m")).isEmpty();
  }

  @Test
  void sendsToTheZipkinEndpointWhenOnlyItIsSet() {
    assertThat(TracingConfig.fromEnvironment(
        Map.of("OTEL_EXPORTER_ZIPKIN_ENDPOINT", "http://zipkin:9411/api/v2/spans"), "sum"))
        .contains(new TracingConfig(Exporter.ZIPKIN, URI.create("http://zipkin:9411/api/v2/spans"),
            "clipper-model-sum"));
  }

  @Test
  void sendsOtlpToTheBaseUrlsTracesPathOrToTheTracesEndpoint() {
    assertThat(TracingConfig.fromEnvironment(
        Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"), "m").orElseThrow()
        .endpoint()).isEqualTo(URI.create("http://collector:4318/v1/traces"));
    assertThat(TracingConfig.fromEnvironment(Map.of(
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://traces:4318/custom"), "m").orElseThrow()
        .endpoint()).isEqualTo(URI.create("http://traces:4318/custom"));
  }

  @Test
  void namedExporterWithoutEndpointUsesTheOpenTelemetryDefaultAndTheServiceNameIsSettable() {
    assertThat(TracingConfig.fromEnvironment(
        Map.of("OTEL_TRACES_EXPORTER", "OTLP", "OTEL_SERVICE_NAME", "digits"), "m"))
        .contains(new TracingConfig(Exporter.OTLP, URI.create("http://localhost:4318/v1/traces"),
            "digits"));
  }

  @Test
  void refusesAnUnknownExporter() {
    assertThatThrownBy(() -> TracingConfig.fromEnvironment(
        Map.of("OTEL_TRACES_EXPORTER", "jaeger"), "m"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jaeger");
  }
}
