package ai.clipper.it;

import ai.clipper.metadata.localredis.LocalRedis;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Zipkin server (its exec jar from Maven Central, in-memory storage) on a free port, as a
 * user runs one next to the stack.
 */
final class ZipkinServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ExternalProcess process;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  private ZipkinServer(ExternalProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  static ZipkinServer start() {
    Path jar = Path.of(System.getProperty("zipkin.jar", "target/zipkin/zipkin-server.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("No Zipkin server jar at " + jar
          + " (maven-dependency-plugin copies it at pre-integration-test)");
    }
    int port = LocalRedis.freePort();
    ProcessBuilder command = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString());
    command.environment().put("QUERY_PORT", Integer.toString(port));
    ZipkinServer zipkin = new ZipkinServer(ExternalProcess.start("zipkin", command), port);
    zipkin.process.awaitReady(Duration.ofSeconds(90),
        () -> zipkin.get("/health").statusCode() == 200);
    return zipkin;
  }

  /** Where spans are posted (Zipkin's v2 JSON API). */
  String spansUrl() {
    return "http://127.0.0.1:" + port + "/api/v2/spans";
  }

  /** The spans Zipkin holds for a trace; empty while it has none. */
  List<JsonNode> trace(String traceId) throws IOException, InterruptedException {
    HttpResponse<String> answer = get("/api/v2/trace/" + traceId);
    if (answer.statusCode() == 404) {
      return List.of();
    }
    List<JsonNode> spans = new java.util.ArrayList<>();
    JSON.readTree(answer.body()).forEach(spans::add);
    return spans;
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    process.close();
  }
}
