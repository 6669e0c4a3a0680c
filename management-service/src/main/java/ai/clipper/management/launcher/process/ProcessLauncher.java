package ai.clipper.management.launcher.process;

import ai.clipper.management.config.ManagementProperties;
import ai.clipper.management.launcher.ContainerLauncher;
import ai.clipper.management.launcher.ContainerTelemetry;
import ai.clipper.management.launcher.ModelArtifacts;
import ai.clipper.management.launcher.RunningContainer;
import ai.clipper.management.launcher.UnknownContainerException;
import ai.clipper.metadata.Model;
import ai.clipper.metadata.Replica;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Runs models as local processes, no Docker needed: {@code container_name} names a folder under
 * the models root, or a framework runtime's under the runtimes root, whose executable {@code run}
 * file starts a container, configured by the {@code CLIPPER_*} environment variables (and, for
 * a model with an uploaded artifact, where to fetch it). The API never reaches a command or a
 * path outside the roots. Each replica's output goes to its own log file, rotated once it
 * outgrows {@code log-max-size}.
 */
@Component
@ConditionalOnProperty(name = "clipper.management.launcher.type", havingValue = "process",
    matchIfMissing = true)
public class ProcessLauncher implements ContainerLauncher, DisposableBean {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessLauncher.class);
  private static final Pattern FOLDER_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]*");
  private static final Pattern UNSAFE_IN_FILE_NAME = Pattern.compile("[^a-zA-Z0-9._-]");
  private static final Duration ROTATION_INTERVAL = Duration.ofSeconds(10);

  private final ManagementProperties properties;
  private final ManagementProperties.Process settings;
  private final Environment environment;
  private final ContainerTelemetry telemetry;
  private final ScheduledExecutorService rotation = Executors.newSingleThreadScheduledExecutor(
      runnable -> {
        Thread thread = new Thread(runnable, "replica-log-rotation");
        thread.setDaemon(true);
        return thread;
      });

  public ProcessLauncher(ManagementProperties properties, Environment environment) {
    this.properties = properties;
    this.settings = properties.process();
    this.environment = environment;
    this.telemetry = ContainerTelemetry.of(properties);
    rotation.scheduleWithFixedDelay(this::rotateLogs, ROTATION_INTERVAL.toMillis(),
        ROTATION_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void check(Model model) {
    runScript(model.containerName());
  }

  @Override
  public RunningContainer start(Model model, int replicaId) throws IOException {
    Path run = runScript(model.containerName());
    int port = freePort();
    int metricsPort = freePort();
    Files.createDirectories(settings.logDir());
    ReplicaLog log = new ReplicaLog(settings.logDir().resolve(UNSAFE_IN_FILE_NAME
        .matcher(model.id().name() + "-" + model.id().version() + "-" + replicaId)
        .replaceAll("_") + ReplicaLog.SUFFIX));
    log.rotateIfLargerThan(settings.logMaxSize().toBytes());
    ProcessBuilder builder = new ProcessBuilder(run.toString())
        .directory(run.getParent().toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.file().toFile()));
    Map<String, String> env = builder.environment();
    // a container inherits our environment (PATH, JAVA_HOME) but never our CLIPPER_* or
    // OpenTelemetry settings: it gets its own below
    env.keySet().removeIf(name -> name.startsWith("CLIPPER_") || name.startsWith("OTEL_"));
    env.putAll(model.env());
    env.putAll(telemetry.env(model, metricsPort));
    env.put("CLIPPER_MODEL_NAME", model.id().name());
    env.put("CLIPPER_MODEL_VERSION", model.id().version());
    env.put("CLIPPER_INPUT_TYPE", model.inputType().clipperName());
    env.put("CLIPPER_PORT", Integer.toString(port));
    env.put("CLIPPER_CONTAINER_HOST", settings.advertisedHost());
    env.putAll(ModelArtifacts.of(properties, environment, settings.advertisedHost()).env(model));
    Process process = builder.start();
    LOG.info("Started replica {} of {} from {}: pid {}, port {}, metrics port {}, output in {}",
        replicaId, model.id(), run, process.pid(), port, metricsPort, log.file());
    return new ProcessContainer(process.toHandle(), process.onExit(), settings.advertisedHost(),
        port, metricsPort, log);
  }

  @Override
  public Optional<RunningContainer> reattach(Replica replica, Map<String, String> launchInfo) {
    if (!ProcessContainer.LAUNCHER.equals(launchInfo.get("launcher"))) {
      return Optional.empty();
    }
    try {
      return ProcessHandle.of(Long.parseLong(launchInfo.getOrDefault("pid", "")))
          .filter(ProcessHandle::isAlive)
          // the same pid with another start time is some later, unrelated process
          .filter(process -> ProcessContainer.startedAt(process).equals(launchInfo.get("started")))
          .map(process -> new ProcessContainer(process, process.onExit(), replica.host(),
              replica.port(), Integer.parseInt(launchInfo.getOrDefault(
                  ContainerTelemetry.METRICS_PORT_FIELD, "0")),
              new ReplicaLog(Path.of(launchInfo.getOrDefault("log", "/dev/null")))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * The {@code run} file of the named folder, under the models root or else the runtimes root,
   * checked to be inside it.
   */
  private Path runScript(String containerName) {
    if (containerName != null && FOLDER_NAME.matcher(containerName).matches()) {
      for (Path root : List.of(settings.modelsRoot(), settings.runtimesRoot())) {
        Optional<Path> run = runScript(root, containerName);
        if (run.isPresent()) {
          return run.get();
        }
      }
    }
    throw new UnknownContainerException("No model or runtime named " + containerName
        + " under the models root or the runtimes root");
  }

  private static Optional<Path> runScript(Path root, String containerName) {
    try {
      Path realRoot = root.toRealPath();
      Path run = realRoot.resolve(containerName).resolve("run");
      return Files.isRegularFile(run) && Files.isExecutable(run)
          && run.toRealPath().startsWith(realRoot) ? Optional.of(run.toRealPath())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Keeps every replica log under the log directory within its maximum size. */
  private void rotateLogs() {
    try (Stream<Path> files = Files.list(settings.logDir())) {
      for (Path file : files.filter(f -> f.toString().endsWith(ReplicaLog.SUFFIX)).toList()) {
        new ReplicaLog(file).rotateIfLargerThan(settings.logMaxSize().toBytes());
      }
    } catch (IOException | UncheckedIOException e) {
      if (Files.isDirectory(settings.logDir())) {
        LOG.warn("Could not rotate the replica logs in {}: {}", settings.logDir(), e.toString());
      }
    }
  }

  @Override
  public void destroy() {
    rotation.shutdownNow();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
