package ai.clipper.management.launcher.docker;

import static org.assertj.core.api.Assertions.assertThat;

import ai.clipper.management.config.ManagementProperties;
import ai.clipper.management.launcher.ContainerTelemetry;
import ai.clipper.management.launcher.ModelArtifacts;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import ai.clipper.sdk.InputType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a replica's container is created with, without an engine. */
class ContainerSpecTest {

  private static final Model SUM = new Model(new ModelId("sum", "v1"), InputType.DOUBLES,
      List.of(), "clipper/java-sum", "", 1, 0, 1, Map.of("GREETING", "hi"));
  private static final ModelArtifacts ARTIFACTS = new ModelArtifacts("http://management:1338",
      Optional.of("s3cret"), "clipper/runtime-");
  private static final ContainerTelemetry TELEMETRY = new ContainerTelemetry(
      new ManagementProperties.Tracing(Optional.of("http://zipkin:9411/api/v2/spans"),
          Optional.empty()));
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  @Test
  void labelsTheContainerWithItsModelVersionAndReplica() {
    ContainerSpec spec = ContainerSpec.of(SUM, 3, published(), ARTIFACTS, TELEMETRY);

    assertThat(spec.image()).isEqualTo("clipper/java-sum");
    assertThat(spec.labels()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "ai.clipper.managed", "true", "ai.clipper.model", "sum", "ai.clipper.version", "v1",
        "ai.clipper.replica", "3"));
  }

  @Test
  void passesTheClipperVariablesAndTheModelEnvironment() {
    ContainerSpec spec = ContainerSpec.of(SUM, 3, published(), ARTIFACTS, TELEMETRY);

    assertThat(spec.env()).contains("GREETING=hi", "CLIPPER_MODEL_NAME=sum",
        "CLIPPER_MODEL_VERSION=v1", "CLIPPER_INPUT_TYPE=doubles", "CLIPPER_PORT=7000",
        "CLIPPER_CONTAINER_HOST=10.0.0.5");
  }

  @Test
  void theModelEnvironmentCannotOverrideTheClipperVariables() {
    Model sneaky = new Model(SUM.id(), SUM.inputType(), List.of(), SUM.containerName(), "", 1, 0,
        1, Map.of("CLIPPER_PORT", "1"));

    assertThat(ContainerSpec.of(sneaky, 0, published(), ARTIFACTS, TELEMETRY).env())
        .contains("CLIPPER_PORT=7000").doesNotContain("CLIPPER_PORT=1");
  }

  @Test
  void tellsTheContainerItsMetricsPortAndWhereToSendSpans() {
    ContainerSpec spec = ContainerSpec.of(SUM, 3, published(), ARTIFACTS, TELEMETRY);

    assertThat(spec.env()).contains("CLIPPER_METRICS_PORT=9464",
        "OTEL_SERVICE_NAME=clipper-model-sum", "OTEL_TRACES_EXPORTER=zipkin",
        "OTEL_EXPORTER_ZIPKIN_ENDPOINT=http://zipkin:9411/api/v2/spans");
  }

  @Test
  void publishesThePortUnlessOnANetworkWhereTheContainerNameIsItsHost() {
    ContainerSpec published = ContainerSpec.of(SUM, 0, published(), ARTIFACTS, TELEMETRY);
    ContainerSpec networked = ContainerSpec.of(SUM, 0,
        new ManagementProperties.Docker("unix:///var/run/docker.sock", "ignored",
            Optional.of("clipper")), ARTIFACTS, TELEMETRY);

    assertThat(published.publishesPort()).isTrue();
    assertThat(networked.publishesPort()).isFalse();
    assertThat(networked.network()).isEqualTo("clipper");
    assertThat(networked.env()).contains("CLIPPER_CONTAINER_HOST=" + networked.name());
  }

  @Test
  void namesEachContainerUniquelyWithOnlyCharactersDockerAccepts() {
    Model odd = new Model(new ModelId("my model", "1/2"), InputType.DOUBLES, List.of(),
        "clipper/java-sum", "", 1, 0, 1, Map.of());

    ContainerSpec first = ContainerSpec.of(odd, 0, published(), ARTIFACTS, TELEMETRY);
    ContainerSpec second = ContainerSpec.of(odd, 0, published(), ARTIFACTS, TELEMETRY);

    assertThat(first.name()).matches("clipper-my_model-1_2-0-[0-9a-f]{8}");
    assertThat(first.name()).isNotEqualTo(second.name());
  }

  @Test
  void aModelFromAnArtifactRunsItsRuntimesImageAndIsToldWhereToFetchIt() {
    Model closure = new Model(new ModelId("summer", "1"), InputType.DOUBLES, List.of(),
        "python-closure", DIGEST, 1, 0, 1, Map.of());

    ContainerSpec spec = ContainerSpec.of(closure, 0, published(), ARTIFACTS, TELEMETRY);

    assertThat(spec.image()).isEqualTo("clipper/runtime-python-closure");
    assertThat(spec.env()).contains(
        "CLIPPER_ARTIFACT_URL=http://management:1338/admin/artifacts/" + DIGEST,
        "CLIPPER_ARTIFACT_DIGEST=" + DIGEST, "CLIPPER_MANAGEMENT_AUTH_TOKEN=s3cret");
    assertThat(ContainerSpec.of(SUM, 0, published(), ARTIFACTS, TELEMETRY).env())
        .noneMatch(variable -> variable.startsWith("CLIPPER_ARTIFACT"));
  }

  private static ManagementProperties.Docker published() {
    return new ManagementProperties.Docker("unix:///var/run/docker.sock", "10.0.0.5",
        Optional.empty());
  }
}
