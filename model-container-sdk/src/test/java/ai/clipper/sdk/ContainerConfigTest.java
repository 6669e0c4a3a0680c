package ai.clipper.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ContainerConfigTest {

  @Test
  void readsItsConfigurationFromClipperVariables() {
    ContainerConfig config = ContainerConfig.fromEnvironment(java.util.Map.of(
        "CLIPPER_MODEL_NAME", "sum", "CLIPPER_MODEL_VERSION", "2",
        "CLIPPER_INPUT_TYPE", "i", "CLIPPER_PORT", "7005",
        "CLIPPER_MANAGEMENT_URL", "http://localhost:1338",
        "CLIPPER_MANAGEMENT_AUTH_TOKEN", "s3cret"));
    assertThat(config.modelName()).isEqualTo("sum");
    assertThat(config.modelVersion()).isEqualTo("2");
    assertThat(config.inputType()).isEqualTo(InputType.INTS);
    assertThat(config.port()).isEqualTo(7005);
    assertThat(config.managementUrl()).hasValue(java.net.URI.create("http://localhost:1338"));
    assertThat(config.managementToken()).hasValue("s3cret");
    ContainerConfig defaults = ContainerConfig.fromEnvironment(java.util.Map.of(
        "CLIPPER_MANAGEMENT_URL", " ", "CLIPPER_MANAGEMENT_AUTH_TOKEN", ""));
    assertThat(defaults.port()).isEqualTo(ContainerConfig.DEFAULT_PORT);
    assertThat(defaults.managementUrl()).isEmpty();
    assertThat(defaults.managementToken()).isEmpty();
  }

  @Test
  void readsTheMetricsPortAndTracingAndServesNeitherByDefault() {
    ContainerConfig config = ContainerConfig.fromEnvironment(java.util.Map.of(
        "CLIPPER_MODEL_NAME", "sum", "CLIPPER_METRICS_PORT", "9464",
        "OTEL_EXPORTER_ZIPKIN_ENDPOINT", "http://zipkin:9411/api/v2/spans"));
    assertThat(config.metricsPort()).isEqualTo(9464);
    assertThat(config.tracing()).hasValueSatisfying(tracing -> {
      assertThat(tracing.exporter()).isEqualTo(TracingConfig.Exporter.ZIPKIN);
      assertThat(tracing.serviceName()).isEqualTo("clipper-model-sum");
    });
    ContainerConfig defaults = ContainerConfig.fromEnvironment(java.util.Map.of());
    assertThat(defaults.metricsPort()).isZero();
    assertThat(defaults.tracing()).isEmpty();
  }

  @Test
  void readsTheSampleInputInTheFormTheModelTakes() {
    assertThat(sample("doubles", "1, 2.5,-3")).isEqualTo(new double[] {1, 2.5, -3});
    assertThat(sample("ints", "4,5")).isEqualTo(new int[] {4, 5});
    assertThat(sample("floats", "0.5")).isEqualTo(new float[] {0.5f});
    assertThat(sample("strings", "a, b")).isEqualTo("a, b");
    assertThat(sample("bytes", "aGk=")).isEqualTo("hi".getBytes());
    assertThat(ContainerConfig.fromEnvironment(java.util.Map.of()).sample()).isEmpty();
  }

  private static Object sample(String type, String text) {
    return ContainerConfig.fromEnvironment(java.util.Map.of("CLIPPER_INPUT_TYPE", type,
        "CLIPPER_SAMPLE_INPUT", text)).sample().orElseThrow();
  }

  @Test
  void rejectsAnUnknownInputType() {
    assertThatThrownBy(() -> ContainerConfig.fromEnvironment(
        java.util.Map.of("CLIPPER_INPUT_TYPE", "tensors")))
        .hasMessageContaining("tensors");
  }
}
