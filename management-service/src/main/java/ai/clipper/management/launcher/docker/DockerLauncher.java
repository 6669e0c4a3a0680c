package ai.clipper.management.launcher.docker;

import ai.clipper.management.config.ManagementProperties;
import ai.clipper.management.launcher.ContainerLauncher;
import ai.clipper.management.launcher.ContainerTelemetry;
import ai.clipper.management.launcher.ModelArtifacts;
import ai.clipper.management.launcher.RunningContainer;
import ai.clipper.management.launcher.UnknownContainerException;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.Replica;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Runs models as Docker containers through docker-java: {@code container_name} names a local
 * image, or for a model deployed from an uploaded artifact its framework runtime, whose image is
 * {@code clipper/runtime-<name>} (never pulled: images are built locally by
 * {@code docker/build-images.sh}). Each replica is labelled with its model, version and replica
 * id, and listens on port 7000 (its metrics on 9464), published on loopback at ports the engine
 * picks, or reached by name on a shared network. A runtime fetches its artifact from this service, by default at
 * {@code host.docker.internal} (the engine's gateway to the host).
 */
@Component
@ConditionalOnProperty(name = "clipper.management.launcher.type", havingValue = "docker")
public class DockerLauncher implements ContainerLauncher, DisposableBean {

  /** The newest API the engines here (Debian's dockerd 20.10) speak. */
  static final String API_VERSION = "1.41";
  private static final Logger LOG = LoggerFactory.getLogger(DockerLauncher.class);
  private static final Pattern IMAGE_NAME =
      Pattern.compile("[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?");
  private static final ExposedPort MODEL_PORT = ExposedPort.tcp(ContainerSpec.CONTAINER_PORT);
  private static final ExposedPort METRICS_PORT =
      ExposedPort.tcp(ContainerTelemetry.CONTAINER_METRICS_PORT);

  /** How a container reaches this service on the host when no artifacts URL is configured. */
  private static final String HOST_GATEWAY = "host.docker.internal";

  private final ManagementProperties properties;
  private final ManagementProperties.Docker settings;
  private final Environment environment;
  private final DockerClient docker;
  private final ContainerTelemetry telemetry;

  public DockerLauncher(ManagementProperties properties, Environment environment) {
    this.properties = properties;
    this.settings = properties.docker();
    this.environment = environment;
    this.telemetry = ContainerTelemetry.of(properties);
    this.docker = client(settings.host());
  }

  static DockerClient client(String host) {
    DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(host)
        .withApiVersion(API_VERSION)
        .build();
    ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        .maxConnections(100)
        .connectionTimeout(Duration.ofSeconds(5))
        .build();
    return DockerClientImpl.getInstance(config, http);
  }

  /** The image must exist locally: no registry is asked. */
  @Override
  public void check(Model model) {
    String image = artifacts().image(model);
    if (image == null || !IMAGE_NAME.matcher(image).matches()) {
      throw new UnknownContainerException("Not an image name: " + image);
    }
    try {
      docker.inspectImageCmd(image).exec();
    } catch (NotFoundException e) {
      throw new UnknownContainerException("No image named " + image + " on the Docker engine");
    } catch (RuntimeException e) {
      throw new UnknownContainerException("The Docker engine at " + settings.host()
          + " could not check image " + image + ": " + e.getMessage());
    }
  }

  @Override
  public RunningContainer start(Model model, int replicaId) throws IOException {
    ContainerSpec spec = ContainerSpec.of(model, replicaId, settings, artifacts(), telemetry);
    try {
      String id = create(spec).exec().getId();
      try {
        docker.startContainerCmd(id).exec();
        DockerContainer container = spec.publishesPort()
            ? new DockerContainer(docker, id, settings.advertisedHost(),
                publishedPort(id, MODEL_PORT), publishedPort(id, METRICS_PORT))
            : new DockerContainer(docker, id, spec.name(), ContainerSpec.CONTAINER_PORT,
                ContainerTelemetry.CONTAINER_METRICS_PORT);
        LOG.info("Started replica {} of {} from image {}: {}", replicaId, model.id(),
            spec.image(), container);
        return container;
      } catch (RuntimeException e) {
        docker.removeContainerCmd(id).withForce(true).exec();
        throw e;
      }
    } catch (DockerException | IllegalStateException e) {
      throw new IOException("Docker could not start " + spec.name() + ": " + e.getMessage(), e);
    }
  }

  private CreateContainerCmd create(ContainerSpec spec) {
    HostConfig host = HostConfig.newHostConfig()
        .withExtraHosts(HOST_GATEWAY + ":host-gateway");
    if (spec.publishesPort()) {
      // an empty host port: the engine picks a free one, with no race against other launches
      host.withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), MODEL_PORT),
          new PortBinding(Ports.Binding.bindIp("127.0.0.1"), METRICS_PORT));
    } else {
      host.withNetworkMode(spec.network());
    }
    return docker.createContainerCmd(spec.image())
        .withName(spec.name())
        .withLabels(spec.labels())
        .withEnv(spec.env())
        .withExposedPorts(MODEL_PORT, METRICS_PORT)
        .withHostConfig(host);
  }

  private ModelArtifacts artifacts() {
    return ModelArtifacts.of(properties, environment, HOST_GATEWAY);
  }

  private int publishedPort(String id, ExposedPort port) {
    Ports.Binding[] bindings = docker.inspectContainerCmd(id).exec().getNetworkSettings()
        .getPorts().getBindings().get(port);
    if (bindings == null || bindings.length == 0) {
      throw new IllegalStateException("port " + port + " of " + id + " is not published");
    }
    return Integer.parseInt(bindings[0].getHostPortSpec());
  }

  /** Finds the container by the id recorded at launch, if it still runs and is one of ours. */
  @Override
  public Optional<RunningContainer> reattach(Replica replica, Map<String, String> launchInfo) {
    String id = launchInfo.get("container_id");
    if (!DockerContainer.LAUNCHER.equals(launchInfo.get("launcher")) || id == null) {
      return Optional.empty();
    }
    try {
      InspectContainerResponse inspected = docker.inspectContainerCmd(id).exec();
      boolean ours = "true".equals(inspected.getConfig().getLabels().get(ContainerSpec.MANAGED));
      if (!ours || !Boolean.TRUE.equals(inspected.getState().getRunning())) {
        return Optional.empty();
      }
      return Optional.of(new DockerContainer(docker, id, replica.host(), replica.port(),
          Integer.parseInt(launchInfo.getOrDefault(ContainerTelemetry.METRICS_PORT_FIELD, "0"))));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public void destroy() throws IOException {
    docker.close();
  }
}
