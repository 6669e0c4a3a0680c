package ai.clipper.management.config;

import ai.clipper.metadata.RedisKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything the management service can be configured with, under {@code clipper.management};
 * the defaults run out of the box against a local Redis.
 *
 * @param redisPrefix the prefix of every Redis key: a hash tag, so that on Redis Cluster the
 *     multi-key scripts stay in one slot
 * @param legacyRedisPrefix keys under this prefix (the layout before the hash tag) are moved
 *     under {@code redisPrefix} on start; empty to never look for them
 * @param launcher which {@code ContainerLauncher} runs the containers
 * @param kubernetes the settings of the kubernetes launcher
 * @param process the settings of the process launcher (its health timeout and restart backoff
 *     apply to every launcher)
 * @param docker the settings of the docker launcher
 * @param authToken when set, every mutating call needs {@code Authorization: Bearer <token>}
 * @param maxBodySize the largest request body accepted (413 beyond it), model artifacts aside
 * @param artifacts where uploaded model artifacts are kept
 * @param containers what every launched container is told about tracing
 */
@ConfigurationProperties("clipper.management")
public record ManagementProperties(
    @DefaultValue(RedisKeys.DEFAULT_PREFIX) String redisPrefix,
    @DefaultValue(RedisKeys.LEGACY_PREFIX) String legacyRedisPrefix,
    @DefaultValue Launcher launcher,
    @DefaultValue Process process,
    @DefaultValue Kubernetes kubernetes,
    @DefaultValue Docker docker,
    Optional<String> authToken,
    @DefaultValue("1MB") DataSize maxBodySize,
    @DefaultValue Artifacts artifacts,
    @DefaultValue Containers containers) {

  public ManagementProperties {
    authToken = authToken == null ? Optional.empty() : authToken.filter(t -> !t.isBlank());
  }

  /**
   * @param dir the data directory of uploaded model artifacts (one file per SHA-256)
   * @param maxSize the largest artifact accepted (413 beyond it)
   * @param url the base URL at which replicas reach this service to fetch their artifact;
   *     by default {@code http://<host>:<this service's port>} with the process launcher's
   *     advertised host, {@code host.docker.internal} for the docker launcher and the
   *     manifests' Service {@code management} for the kubernetes launcher
   * @param runtimeImagePrefix what the docker and kubernetes launchers put before a framework
   *     runtime's name to get its image ({@code clipper/runtime-sklearn}, built by
   *     {@code docker/build-images.sh})
   */
  public record Artifacts(
      @DefaultValue("data/artifacts") Path dir,
      @DefaultValue("1GB") DataSize maxSize,
      Optional<String> url,
      @DefaultValue("clipper/runtime-") String runtimeImagePrefix) {

    public Artifacts {
      url = url == null ? Optional.empty() : url.filter(u -> !u.isBlank());
    }
  }

  /** @param type {@code process} (default), {@code docker} or {@code kubernetes} */
  public record Launcher(@DefaultValue("process") String type) {
  }

  /**
   * @param modelsRoot the folder whose sub-folders are the runnable models, by container name
   * @param runtimesRoot the folder whose sub-folders are the framework runtimes, which serve an
   *     uploaded artifact ({@code sklearn}, {@code python-closure}, ...)
   * @param healthTimeout how long a started replica may take to answer its health check
   * @param restartBackoff the wait before restarting a crashed replica (doubled per crash in a
   *     row, up to a minute)
   * @param advertisedHost the host the query frontends dial to reach launched replicas
   * @param logDir where each replica's output goes (default {@code <java.io.tmpdir>/clipper-replicas})
   * @param logMaxSize a replica's log is rotated (copied to {@code <log>.1}, then truncated) once
   *     it is larger, so each replica keeps at most about twice this
   */
  public record Process(
      @DefaultValue("examples/models") Path modelsRoot,
      @DefaultValue("runtimes") Path runtimesRoot,
      @DefaultValue("30s") Duration healthTimeout,
      @DefaultValue("1s") Duration restartBackoff,
      @DefaultValue("127.0.0.1") String advertisedHost,
      Path logDir,
      @DefaultValue("5MB") DataSize logMaxSize) {

    public Process {
      if (logDir == null) {
        logDir = Path.of(System.getProperty("java.io.tmpdir"), "clipper-replicas");
      }
    }
  }

  /**
   * @param namespace where model Deployments and Services are created
   * @param syncInterval how often ready pods are mirrored into Redis as replicas
   */
  public record Kubernetes(
      @DefaultValue("default") String namespace,
      @DefaultValue("5s") Duration syncInterval) {
  }

  /**
   * @param host the Docker engine's address ({@code unix:///var/run/docker.sock} or
   *     {@code tcp://host:2375}); the API version is pinned at 1.41
   * @param advertisedHost the host the query frontends dial to reach a published replica port
   * @param network when set, replicas join this Docker network (as in docker-compose) and are
   *     reached by container name on port 7000 instead of through a published port
   */
  public record Docker(
      @DefaultValue("unix:///var/run/docker.sock") String host,
      @DefaultValue("127.0.0.1") String advertisedHost,
      Optional<String> network) {

    public Docker {
      network = network == null ? Optional.empty() : network.filter(n -> !n.isBlank());
    }
  }

  /** @param tracing where containers export their spans */
  public record Containers(@DefaultValue Tracing tracing) {
  }

  /**
   * Handed to every launched container as the standard OpenTelemetry variables; at most one may
   * be set, as a container exports to one place. Neither: containers export no spans.
   *
   * @param zipkinEndpoint Zipkin's v2 spans URL, e.g. {@code http://127.0.0.1:9411/api/v2/spans}
   * @param otlpEndpoint an OTLP/HTTP base URL, e.g. {@code http://127.0.0.1:4318}
   */
  public record Tracing(Optional<String> zipkinEndpoint, Optional<String> otlpEndpoint) {

    public Tracing {
      zipkinEndpoint = zipkinEndpoint == null ? Optional.empty()
          : zipkinEndpoint.filter(e -> !e.isBlank());
      otlpEndpoint = otlpEndpoint == null ? Optional.empty()
          : otlpEndpoint.filter(e -> !e.isBlank());
      if (zipkinEndpoint.isPresent() && otlpEndpoint.isPresent()) {
        throw new IllegalArgumentException("Set clipper.management.containers.tracing"
            + ".zipkin-endpoint or .otlp-endpoint, not both: a container exports to one place");
      }
    }
  }
}
