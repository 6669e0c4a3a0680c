package ai.clipper.management.launcher.kubernetes;

import ai.clipper.management.launcher.ContainerTelemetry;
import ai.clipper.management.launcher.ModelArtifacts;
import ai.clipper.management.launcher.ReplicaScaler;
import ai.clipper.management.launcher.UnknownContainerException;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.ModelId;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each model version as a Deployment plus a headless Service. Kubernetes already keeps the
 * replicas alive, restarts them and probes their gRPC health, so this is a {@link ReplicaScaler}
 * (desired replicas per model version) rather than a per-replica {@code ContainerLauncher} under
 * the {@code ReplicaSupervisor}; {@link PodReplicas} records the ready pods in Redis.
 */
public class KubernetesModelDeployments implements ReplicaScaler {

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesModelDeployments.class);

  private final KubernetesClient client;
  private final String namespace;
  private final Supplier<ModelArtifacts> artifacts;
  private final ContainerTelemetry telemetry;

  /**
   * @param artifacts the runtime images and where their pods fetch artifacts, asked for when a
   *     Deployment is made (once this service listens)
   * @param telemetry where the pods send their spans
   */
  public KubernetesModelDeployments(KubernetesClient client, String namespace,
      Supplier<ModelArtifacts> artifacts, ContainerTelemetry telemetry) {
    this.client = client;
    this.namespace = namespace;
    this.artifacts = artifacts;
    this.telemetry = telemetry;
  }

  /**
   * Any non-blank {@code container_name} is an image reference (or a framework runtime's name,
   * whose image is the runtime image prefix before it); the cluster pulls it.
   */
  @Override
  public void check(Model model) {
    String image = artifacts.get().image(model);
    if (image == null || image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
      throw new UnknownContainerException("Not an image reference: '" + image + "'");
    }
  }

  /** Creates the Deployment and Service, or sets the existing Deployment's replicas. */
  @Override
  public void scale(Model model, int count) {
    String name = ModelResourceNames.of(model.id());
    var deployments = client.apps().deployments().inNamespace(namespace);
    if (deployments.withName(name).get() == null) {
      deployments.resource(ModelResources.deployment(model, count, artifacts.get(), telemetry))
          .createOr(NonDeletingOperation::update);
      LOG.info("Created Deployment {} ({} replicas of {})", name, count, model.id());
    } else {
      deployments.withName(name).edit(deployment -> new DeploymentBuilder(deployment)
          .editSpec().withReplicas(count).endSpec().build());
      LOG.info("Scaled Deployment {} to {} replicas", name, count);
    }
    var services = client.services().inNamespace(namespace);
    if (services.withName(name).get() == null) { // its spec never changes: no update on scaling
      services.resource(ModelResources.service(model)).createOr(NonDeletingOperation::update);
    }
  }

  @Override
  public void stopAll(ModelId id) {
    String name = ModelResourceNames.of(id);
    client.apps().deployments().inNamespace(namespace).withName(name).delete();
    client.services().inNamespace(namespace).withName(name).delete();
    LOG.info("Deleted Deployment and Service {}", name);
  }
}
