package ai.clipper.sdk.internal;

import ai.clipper.sdk.ContainerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Registers a container as a replica with the management service
 * ({@code POST /admin/add_replica}, with {@code Authorization: Bearer <token>} when there is a
 * token), retrying while the service is not up yet.
 */
public final class ManagementClient {

  private static final Logger LOG = Logger.getLogger(ManagementClient.class.getName());
  private static final int ATTEMPTS = 30;

  private final URI baseUrl;
  private final Optional<String> token;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2))
      .build();

  public ManagementClient(URI baseUrl, Optional<String> token) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  /** Registers, or throws {@link IllegalStateException} when the service never accepts it. */
  public void register(ContainerConfig config, int port) {
    String body = "{\"model_name\":" + quote(config.modelName())
        + ",\"model_version\":" + quote(config.modelVersion())
        + ",\"input_type\":" + quote(config.inputType().clipperName())
        + ",\"host\":" + quote(config.advertisedHost())
        + ",\"port\":" + port + "}";
    HttpRequest.Builder builder = HttpRequest.newBuilder(baseUrl.resolve("/admin/add_replica"))
        .timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    token.ifPresent(t -> builder.header("Authorization", "Bearer " + t));
    HttpRequest request = builder.build();
    String lastProblem = "";
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          LOG.info(() -> "Registered with " + baseUrl + ": " + response.body());
          return;
        }
        if (response.statusCode() < 500) {
          throw new IllegalStateException("The management service refused the registration: "
              + response.body());
        }
        lastProblem = response.body();
      } catch (IOException e) {
        lastProblem = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while registering", e);
      }
      sleepOneSecond();
    }
    throw new IllegalStateException("Could not register with " + baseUrl + ": " + lastProblem);
  }

  private static void sleepOneSecond() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
