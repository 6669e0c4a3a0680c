package ai.clipper.management.launcher.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.clipper.management.config.ManagementProperties;
import ai.clipper.management.launcher.ContainerTelemetry;
import ai.clipper.management.launcher.ModelArtifacts;
import ai.clipper.management.launcher.UnknownContainerException;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import ai.clipper.sdk.InputType;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A model version against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class KubernetesModelDeploymentsTest {

  private static final String NAMESPACE = "clipper-test";
  private static final Map<String, String> LABELS = Map.of(
      "app.kubernetes.io/part-of", "clipper", "clipper.ai/model", "sum",
      "clipper.ai/version", "1");

  KubernetesClient client;
  private KubernetesModelDeployments deployments;
  private final Model sum = new Model(new ModelId("sum", "1"), InputType.DOUBLES, List.of(),
      "registry.example/clipper/sum:1.0", "", -1, 0, 2, Map.of("THREADS", "4"));

  @BeforeEach
  void setUp() {
    deployments = new KubernetesModelDeployments(client, NAMESPACE, () -> new ModelArtifacts(
        "http://management:1338", Optional.empty(), "registry.example/clipper/runtime-"),
        new ContainerTelemetry(new ManagementProperties.Tracing(Optional.empty(),
            Optional.of("http://collector:4318"))));
  }

  @Test
  void deployingAModelVersionCreatesADeploymentWithItsImageEnvPortProbesAndReplicas() {
    deployments.scale(sum, 2);

    Deployment deployment = deployment("clipper-model-sum-1");
    assertThat(deployment.getMetadata().getLabels()).isEqualTo(LABELS);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getSpec().getSelector().getMatchLabels()).isEqualTo(LABELS);
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(LABELS);
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("registry.example/clipper/sum:1.0");
    assertThat(container.getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("CLIPPER_MODEL_NAME", "sum"),
            org.assertj.core.groups.Tuple.tuple("CLIPPER_MODEL_VERSION", "1"),
            org.assertj.core.groups.Tuple.tuple("CLIPPER_INPUT_TYPE", "doubles"),
            org.assertj.core.groups.Tuple.tuple("CLIPPER_PORT", "7000"),
            org.assertj.core.groups.Tuple.tuple("CLIPPER_CONTAINER_HOST", null),
            org.assertj.core.groups.Tuple.tuple("CLIPPER_METRICS_PORT", "9464"),
            org.assertj.core.groups.Tuple.tuple("OTEL_SERVICE_NAME", "clipper-model-sum"),
            org.assertj.core.groups.Tuple.tuple("OTEL_TRACES_EXPORTER", "otlp"),
            org.assertj.core.groups.Tuple.tuple("OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://collector:4318"),
            org.assertj.core.groups.Tuple.tuple("THREADS", "4"));
    assertThat(container.getEnv().get(4).getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("status.podIP");
    assertThat(container.getPorts()).extracting(ContainerPort::getName,
        ContainerPort::getContainerPort).containsExactly(
            org.assertj.core.groups.Tuple.tuple("grpc", 7000),
            org.assertj.core.groups.Tuple.tuple("metrics", 9464));
    assertThat(container.getReadinessProbe().getGrpc().getPort()).isEqualTo(7000);
    assertThat(container.getLivenessProbe().getGrpc().getPort()).isEqualTo(7000);
  }

  @Test
  void aModelFromAnArtifactRunsItsRuntimesImageAndFetchesItFromTheManagementService() {
    String digest = "sha256:" + "0f".repeat(32);
    deployments.scale(new Model(new ModelId("lr", "2"), InputType.DOUBLES, List.of(), "sklearn",
        digest, -1, 0, 1, Map.of()), 1);

    Container container = deployment("clipper-model-lr-2").getSpec().getTemplate().getSpec()
        .getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("registry.example/clipper/runtime-sklearn");
    assertThat(container.getEnv()).extracting(EnvVar::getName, EnvVar::getValue).contains(
        org.assertj.core.groups.Tuple.tuple("CLIPPER_ARTIFACT_URL",
            "http://management:1338/admin/artifacts/" + digest),
        org.assertj.core.groups.Tuple.tuple("CLIPPER_ARTIFACT_DIGEST", digest));
  }

  @Test
  void deployingAModelVersionCreatesAHeadlessServiceSelectingEveryPod() {
    deployments.scale(sum, 2);

    Service service = client.services().inNamespace(NAMESPACE).withName("clipper-model-sum-1")
        .get();
    assertThat(service).isNotNull();
    assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(service.getSpec().getSelector()).isEqualTo(LABELS);
    assertThat(service.getSpec().getPorts()).singleElement()
        .satisfies(port -> assertThat(port.getPort()).isEqualTo(7000));
  }

  @Test
  void scalingChangesTheDeploymentsReplicas() {
    deployments.scale(sum, 2);
    deployments.scale(sum.withNumReplicas(5), 5);
    assertThat(deployment("clipper-model-sum-1").getSpec().getReplicas()).isEqualTo(5);

    deployments.scale(sum.withNumReplicas(0), 0);
    assertThat(deployment("clipper-model-sum-1").getSpec().getReplicas()).isZero();
  }

  @Test
  void deletingAModelVersionRemovesItsDeploymentAndService() {
    deployments.scale(sum, 1);
    Model other = new Model(new ModelId("sum", "2"), InputType.DOUBLES, List.of(), "sum:2", "", -1,
        0, 1, Map.of());
    deployments.scale(other, 1);

    deployments.stopAll(sum.id());

    assertThat(client.apps().deployments().inNamespace(NAMESPACE).list().getItems())
        .extracting(d -> d.getMetadata().getName()).containsExactly("clipper-model-sum-2");
    assertThat(client.services().inNamespace(NAMESPACE).list().getItems())
        .extracting(s -> s.getMetadata().getName()).containsExactly("clipper-model-sum-2");
  }

  @Test
  void theModelsOwnEnvironmentNeverOverridesWhereItServes() {
    Model sneaky = new Model(new ModelId("sum", "1"), InputType.DOUBLES, List.of(), "sum:1", "", -1,
        0, 1, Map.of("CLIPPER_PORT", "9999"));
    deployments.scale(sneaky, 1);

    assertThat(deployment("clipper-model-sum-1").getSpec().getTemplate().getSpec().getContainers()
        .get(0).getEnv()).filteredOn(env -> env.getName().equals("CLIPPER_PORT"))
        .extracting(EnvVar::getValue).containsExactly("7000");
  }

  @Test
  void namesAndLabelsOfOddOrLongModelVersionsAreValidKubernetesNames() {
    Model odd = new Model(new ModelId("My_Model." + "x".repeat(80), "V1.0"), InputType.DOUBLES,
        List.of(), "odd:1", "", -1, 0, 1, Map.of());
    deployments.scale(odd, 1);

    Deployment deployment = client.apps().deployments().inNamespace(NAMESPACE).list().getItems()
        .get(0);
    String name = deployment.getMetadata().getName();
    assertThat(name).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")
        .startsWith("clipper-model-my-model-xxx");
    assertThat(deployment.getMetadata().getLabels().values())
        .allSatisfy(value -> assertThat(value).hasSizeLessThanOrEqualTo(63)
            .matches("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"));
    assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("clipper.ai/model-id", odd.id().toString());
  }

  @Test
  void versionsThatDifferOnlyPastTheCutGetDifferentNames() {
    String longName = "m".repeat(70);
    assertThat(ModelResourceNames.of(new ModelId(longName, "a")))
        .isNotEqualTo(ModelResourceNames.of(new ModelId(longName, "b")))
        .hasSizeLessThanOrEqualTo(63);
  }

  @Test
  void rejectsAnEmptyOrBlankImage() {
    Model blank = new Model(new ModelId("sum", "1"), InputType.DOUBLES, List.of(), "not an image",
        "", -1, 0, 1, Map.of());
    assertThatThrownBy(() -> deployments.check(blank))
        .isInstanceOf(UnknownContainerException.class);
  }

  private Deployment deployment(String name) {
    Deployment deployment = client.apps().deployments().inNamespace(NAMESPACE).withName(name).get();
    assertThat(deployment).as("Deployment " + name).isNotNull();
    return deployment;
  }
}
