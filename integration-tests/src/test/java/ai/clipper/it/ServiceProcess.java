package ai.clipper.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One of our Spring Boot services, run from its executable jar as a separate process. */
final class ServiceProcess implements AutoCloseable {

  private final ExternalProcess process;
  private final int port;

  private ServiceProcess(ExternalProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts {@code module}'s exec jar with Spring {@code --key=value} arguments. */
  static ServiceProcess start(String module, int port, List<String> args) {
    Path root = Path.of(System.getProperty("clipper.root", "..")).toAbsolutePath().normalize();
    Path jar = root.resolve(module).resolve("target")
        .resolve(module + "-" + System.getProperty("clipper.version") + "-exec.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("Build the services first: no " + jar);
    }
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
        "--server.port=" + port));
    command.addAll(args);
    ServiceProcess service = new ServiceProcess(
        ExternalProcess.start(module, new ProcessBuilder(command).directory(root.toFile())), port);
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest health = HttpRequest.newBuilder(URI.create(service.url() + "/actuator/health"))
        .timeout(Duration.ofSeconds(2)).build();
    service.process.awaitReady(Duration.ofSeconds(60), () ->
        http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    return service;
  }

  int port() {
    return port;
  }

  Process process() {
    return process.process();
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Stops the service as SIGTERM would, so it stops what it started. */
  @Override
  public void close() {
    process.close();
  }
}
