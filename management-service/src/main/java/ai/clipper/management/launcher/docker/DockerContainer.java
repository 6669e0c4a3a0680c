package ai.clipper.management.launcher.docker;

import ai.clipper.management.launcher.ContainerTelemetry;
import ai.clipper.management.launcher.RunningContainer;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A replica running as a Docker container; a watcher thread completes its exit future. */
final class DockerContainer implements RunningContainer {

  static final String LAUNCHER = "docker";
  private static final Logger LOG = LoggerFactory.getLogger(DockerContainer.class);
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final Duration LOGS_TIMEOUT = Duration.ofSeconds(10);

  private final DockerClient docker;
  private final String id;
  private final String host;
  private final int port;
  private final int metricsPort;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();

  DockerContainer(DockerClient docker, String id, String host, int port, int metricsPort) {
    this.docker = docker;
    this.id = id;
    this.host = host;
    this.port = port;
    this.metricsPort = metricsPort;
    Thread watcher = new Thread(this::awaitExit, "docker-exit-" + shortId());
    watcher.setDaemon(true);
    watcher.start();
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public Map<String, String> launchInfo() {
    return Map.of("launcher", LAUNCHER, "container_id", id,
        ContainerTelemetry.METRICS_PORT_FIELD, Integer.toString(metricsPort));
  }

  /** {@code docker logs --tail lines}; nothing once the container is removed. */
  @Override
  public List<String> output(int lines) {
    ContainerOutput output = new ContainerOutput();
    try {
      docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(lines)
          .exec(output).awaitCompletion(LOGS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (NotFoundException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("Could not read the log of container {}: {}", shortId(), e.toString());
    }
    return output.lines();
  }

  @Override
  public CompletableFuture<?> onExit() {
    return exit;
  }

  /** {@code docker stop -t grace} (SIGTERM, then SIGKILL), then removes the container. */
  @Override
  public void stop(Duration grace) {
    try {
      docker.stopContainerCmd(id).withTimeout((int) Math.max(1, grace.toSeconds())).exec();
    } catch (NotFoundException | NotModifiedException e) {
      // already gone or already stopped
    }
    remove();
    exit.join();
  }

  /**
   * Blocks on the engine's wait call until the container exits; the supervisor then replaces it.
   * A crashed container is removed too (its log is lost, which keeps dead replicas from piling
   * up); a lost connection to the engine is retried rather than taken for an exit.
   */
  private void awaitExit() {
    while (!exit.isDone()) {
      try {
        Integer code = docker.waitContainerCmd(id).start().awaitStatusCode();
        LOG.info("Container {} exited with status {}", shortId(), code);
        exit.complete(code);
      } catch (NotFoundException e) {
        exit.complete(null);
      } catch (RuntimeException e) {
        LOG.warn("Waiting for container {} failed ({}); retrying", shortId(), e.toString());
        sleep(RETRY);
      }
    }
    remove();
  }

  private void remove() {
    try {
      docker.removeContainerCmd(id).withForce(true).exec();
    } catch (NotFoundException e) {
      // removed already
    } catch (RuntimeException e) {
      if (!e.getMessage().contains("already in progress")) {
        LOG.warn("Could not remove container {}: {}", shortId(), e.toString());
      }
    }
  }

  private String shortId() {
    return id.substring(0, Math.min(12, id.length()));
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "container " + shortId() + " on " + host + ":" + port;
  }
}
