package ai.clipper.management.launcher.kubernetes;

import ai.clipper.management.launcher.ContainerTelemetry;
import ai.clipper.management.launcher.ModelArtifacts;
import ai.clipper.metadata.Model;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Deployment and headless Service of one model version. The Service is headless so that its
 * DNS name resolves to every ready pod and no frontend is pinned to one replica.
 */
final class ModelResources {

  static final int GRPC_PORT = 7000;
  /** The exact {@code name:version} of a pod's model (label values may be shortened). */
  static final String MODEL_ID_ANNOTATION = "clipper.ai/model-id";

  private ModelResources() {
  }

  /** The labels every object and pod of the model version carries; also the selector. */
  static Map<String, String> labels(Model model) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(ModelResourceNames.PART_OF, ModelResourceNames.CLIPPER);
    labels.put(ModelResourceNames.MODEL, ModelResourceNames.labelValue(model.id().name()));
    labels.put(ModelResourceNames.VERSION, ModelResourceNames.labelValue(model.id().version()));
    return labels;
  }

  static Deployment deployment(Model model, int replicas, ModelArtifacts artifacts,
      ContainerTelemetry telemetry) {
    String name = ModelResourceNames.of(model.id());
    Map<String, String> labels = labels(model);
    return new DeploymentBuilder()
        .withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewSpec()
          .withReplicas(replicas)
          .withNewSelector().withMatchLabels(labels).endSelector()
          .withNewTemplate()
            .withNewMetadata().withLabels(labels)
              .addToAnnotations(MODEL_ID_ANNOTATION, model.id().toString()).endMetadata()
            .withNewSpec()
              .addNewContainer()
                .withName("model")
                .withImage(artifacts.image(model))
                .withEnv(env(model, artifacts, telemetry))
                .addNewPort().withName("grpc").withContainerPort(GRPC_PORT).endPort()
                .addNewPort().withName("metrics")
                  .withContainerPort(ContainerTelemetry.CONTAINER_METRICS_PORT).endPort()
                .withReadinessProbe(grpcProbe())
                .withLivenessProbe(grpcProbe())
              .endContainer()
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  static Service service(Model model) {
    Map<String, String> labels = labels(model);
    return new ServiceBuilder()
        .withNewMetadata().withName(ModelResourceNames.of(model.id())).withLabels(labels)
        .endMetadata()
        .withNewSpec()
          .withClusterIP("None")
          .withSelector(labels)
          .addNewPort().withName("grpc").withPort(GRPC_PORT).withTargetPort(
              new io.fabric8.kubernetes.api.model.IntOrString("grpc")).endPort()
        .endSpec()
        .build();
  }

  /** Kubernetes' native gRPC probe calls grpc.health.v1.Health/Check, which every container serves. */
  private static Probe grpcProbe() {
    return new ProbeBuilder().withNewGrpc().withPort(GRPC_PORT).endGrpc()
        .withPeriodSeconds(5).withFailureThreshold(3).build();
  }

  private static List<EnvVar> env(Model model, ModelArtifacts artifacts,
      ContainerTelemetry telemetry) {
    List<EnvVar> env = new ArrayList<>();
    env.add(new EnvVar("CLIPPER_MODEL_NAME", model.id().name(), null));
    env.add(new EnvVar("CLIPPER_MODEL_VERSION", model.id().version(), null));
    env.add(new EnvVar("CLIPPER_INPUT_TYPE", model.inputType().clipperName(), null));
    env.add(new EnvVar("CLIPPER_PORT", String.valueOf(GRPC_PORT), null));
    // what the SDK advertises if the model also registers itself: the pod's own IP
    env.add(new EnvVarBuilder().withName("CLIPPER_CONTAINER_HOST").withNewValueFrom()
        .withNewFieldRef().withFieldPath("status.podIP").endFieldRef().endValueFrom().build());
    telemetry.env(model, ContainerTelemetry.CONTAINER_METRICS_PORT)
        .forEach((key, value) -> env.add(new EnvVar(key, value, null)));
    // the model's own variables never override where and what it serves
    Map<String, String> own = new TreeMap<>(model.env());
    own.putAll(artifacts.env(model));
    own.forEach((key, value) -> {
      if (env.stream().noneMatch(var -> var.getName().equals(key))) {
        env.add(new EnvVar(key, value, null));
      }
    });
    return env;
  }
}
