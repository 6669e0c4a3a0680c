package ai.clipper.management;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Calls the admin API over real HTTP, as clipper_admin does. */
public final class AdminClient {

  /** A status and the parsed JSON body. */
  public record Answer(int status, JsonNode body) {

    public String message() {
      return body.path("message").asString();
    }

    public String cause() {
      return body.path("cause").asString();
    }
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI base;
  private final Map<String, String> headers;

  public AdminClient(int port) {
    this(port, Map.of());
  }

  public AdminClient(int port, Map<String, String> headers) {
    this.base = URI.create("http://127.0.0.1:" + port);
    this.headers = headers;
  }

  public AdminClient withHeader(String name, String value) {
    return new AdminClient(base.getPort(), Map.of(name, value));
  }

  /** POSTs {@code json} (single quotes are turned into double quotes, for readable tests). */
  public Answer post(String path, String json) {
    return raw(path, json.replace('\'', '"'));
  }

  public Answer raw(String path, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::setHeader);
    return send(request.build());
  }

  public Answer get(String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).GET();
    headers.forEach(request::setHeader);
    return send(request.build());
  }

  /** The JSON body, or the text as a JSON string when it is not JSON (e.g. Prometheus metrics). */
  private static JsonNode parse(String body) {
    try {
      return body.isEmpty() ? JSON.nullNode() : JSON.readTree(body);
    } catch (tools.jackson.core.JacksonException notJson) {
      return JSON.getNodeFactory().stringNode(body);
    }
  }

  private Answer send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      String body = response.body();
      return new Answer(response.statusCode(), parse(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
