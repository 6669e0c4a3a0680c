package ai.clipper.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One of our Spring Boot services, run from its executable jar as a separate process. */
final class ServiceProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Path log;
  private final int port;

  private ServiceProcess(String name, Process process, Path log, int port) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts {@code module}'s exec jar with Spring {@code --key=value} arguments. */
  static ServiceProcess start(String module, int port, List<String> args) throws IOException {
    Path root = Path.of(System.getProperty("clipper.root", "..")).toAbsolutePath().normalize();
    Path jar = root.resolve(module).resolve("target")
        .resolve(module + "-" + System.getProperty("clipper.version") + "-exec.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("Build the services first: no " + jar);
    }
    Path log = Files.createTempFile("clipper-it-" + module + "-", ".log");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
        "--server.port=" + port));
    command.addAll(args);
    Process process = new ProcessBuilder(command)
        .directory(root.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    ServiceProcess service = new ServiceProcess(module, process, log, port);
    service.awaitHealthy();
    return service;
  }

  int port() {
    return port;
  }

  Process process() {
    return process;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  private void awaitHealthy() throws IOException {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest health = HttpRequest.newBuilder(URI.create(url() + "/actuator/health"))
        .timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited at start:\n" + Files.readString(log));
      }
      try {
        if (http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      pause();
    }
    close();
    throw new IllegalStateException(name + " not healthy within 60 s:\n" + Files.readString(log));
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the service as SIGTERM would, so it stops what it started. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
