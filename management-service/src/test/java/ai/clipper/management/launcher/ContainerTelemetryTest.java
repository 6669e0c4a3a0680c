package ai.clipper.management.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clipper.management.config.ManagementProperties.Tracing;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import ai.clipper.sdk.InputType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The OpenTelemetry variables a container gets from {@code clipper.management.containers}. */
class ContainerTelemetryTest {

  private static final Model SUM = new Model(new ModelId("sum", "1"), InputType.DOUBLES,
      List.of(), "java-sum", "", -1, 0, 1, Map.of());

  @Test
  void namesTheServiceAndTheMetricsPortButNoExporterWhenNoEndpointIsSet() {
    Map<String, String> env = new ContainerTelemetry(new Tracing(Optional.empty(),
        Optional.of(" "))).env(SUM, 9464);

    assertThat(env).containsExactlyInAnyOrderEntriesOf(Map.of("CLIPPER_METRICS_PORT", "9464",
        "OTEL_SERVICE_NAME", "clipper-model-sum"));
  }

  @Test
  void exportsOverOtlpToTheConfiguredEndpoint() {
    Map<String, String> env = new ContainerTelemetry(new Tracing(Optional.empty(),
        Optional.of("http://collector:4318"))).env(SUM, 40123);

    assertThat(env).containsEntry("OTEL_TRACES_EXPORTER", "otlp")
        .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")
        .containsEntry("CLIPPER_METRICS_PORT", "40123")
        .doesNotContainKey("OTEL_EXPORTER_ZIPKIN_ENDPOINT");
  }

  @Test
  void refusesBothEndpointsAsAContainerExportsToOnePlace() {
    assertThatThrownBy(() -> new Tracing(Optional.of("http://zipkin:9411/api/v2/spans"),
        Optional.of("http://collector:4318")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
  }
}
