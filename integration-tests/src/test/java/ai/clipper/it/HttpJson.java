package ai.clipper.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Posts JSON to one of the services and reads the status and JSON answer. */
final class HttpJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A status with its parsed body ({@code null} when the body is not JSON), raw text and headers.
   */
  record Answer(int status, JsonNode json, String body, java.net.http.HttpHeaders headers) {
  }

  private final String baseUrl;
  private final HttpClient http = HttpClient.newHttpClient();

  HttpJson(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  Answer post(String path, String body) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Posts and fails unless the answer is 200. */
  JsonNode ok(String path, String body) {
    Answer answer = post(path, body);
    if (answer.status() != 200) {
      throw new AssertionError(path + " answered " + answer.status() + ": " + answer.body());
    }
    return answer.json();
  }

  Answer get(String path) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
  }

  private Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), parse(response.body()), response.body(),
          response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException notJson) {
      return null;
    }
  }
}
