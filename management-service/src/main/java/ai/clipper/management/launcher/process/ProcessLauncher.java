package ai.clipper.management.launcher.process;

import ai.clipper.management.config.ManagementProperties;
import ai.clipper.management.launcher.ContainerLauncher;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Runs models as local processes, no Docker needed: {@code container_name} names a folder under
 * the models root, or a framework runtime's under the runtimes root, whose executable {@code run}
 * file starts a container, configured by the {@code CLIPPER_*} environment variables (and, for
 * a model with an uploaded artifact, where to fetch it). The API never reaches a command or a
 * path outside the roots.
 */
@Component
@ConditionalOnProperty(name = "clipper.management.launcher.type", havingValue = "process",
    matchIfMissing = true)
public class ProcessLauncher implements ContainerLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessLauncher.class);
  private static final Pattern FOLDER_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]*");
  private static final Pattern UNSAFE_IN_FILE_NAME = Pattern.compile("[^a-zA-Z0-9._-]");

  private final ManagementProperties properties;
  private final ManagementProperties.Process settings;
  private final Environment environment;

  public ProcessLauncher(ManagementProperties properties, Environment environment) {
    this.properties = properties;
    this.settings = properties.process();
    this.environment = environment;
  }

  @Override
  public void check(Model model) {
    runScript(model.containerName());
  }

  @Override
  public RunningContainer start(Model model, int replicaId) throws IOException {
    Path run = runScript(model.containerName());
    int port = freePort();
    Files.createDirectories(settings.logDir());
    Path log = settings.logDir().resolve(UNSAFE_IN_FILE_NAME
        .matcher(model.id().name() + "-" + model.id().version() + "-" + replicaId + ".log")
        .replaceAll("_"));
    ProcessBuilder builder = new ProcessBuilder(run.toString())
        .directory(run.getParent().toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = builder.environment();
    // a container inherits our environment (PATH, JAVA_HOME) but never our CLIPPER_* settings
    env.keySet().removeIf(name -> name.startsWith("CLIPPER_"));
    env.putAll(model.env());
    env.put("CLIPPER_MODEL_NAME", model.id().name());
    env.put("CLIPPER_MODEL_VERSION", model.id().version());
    env.put("CLIPPER_INPUT_TYPE", model.inputType().clipperName());
    env.put("CLIPPER_PORT", Integer.toString(port));
    env.put("CLIPPER_CONTAINER_HOST", settings.advertisedHost());
    env.putAll(ModelArtifacts.of(properties, environment, settings.advertisedHost()).env(model));
    Process process = builder.start();
    LOG.info("Started replica {} of {} from {}: pid {}, port {}, output in {}",
        replicaId, model.id(), run, process.pid(), port, log);
    return new ProcessContainer(process.toHandle(), process.onExit(), settings.advertisedHost(),
        port, log);
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
              replica.port(), Path.of(launchInfo.getOrDefault("log", "/dev/null"))));
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

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
