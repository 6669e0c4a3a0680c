package ai.clipper.examples;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * Deploys the demo app as a user would, through the management service's admin API: the app
 * {@code demo} (doubles in, default output {@code -1}, a 100 ms SLO), the model {@code sum}
 * version 1 run from the given container name, and the link between them; then waits until the
 * query frontend gives a real (not default) answer. Idempotent: what exists already (409) is kept,
 * so a restarted {@code docker-compose up} runs it again harmlessly.
 *
 * <p>{@code ./clipper up} runs it with the process launcher's {@code java-sum}; docker-compose's
 * {@code demo} service runs it with the image {@code clipper/java-sum}.
 */
public final class DeployDemo {

  private static final Duration PATIENCE = Duration.ofMinutes(3);
  private static final Duration RETRY = Duration.ofMillis(250);
  private static final String PREDICTION = "{\"input\": [1, 2, 3]}";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Instant deadline = Instant.now().plus(PATIENCE);

  private DeployDemo() {
  }

  /** Arguments: the management URL, the query frontend URL and the model's container name. */
  public static void main(String[] args) throws InterruptedException {
    if (args.length != 3) {
      System.err.println("usage: DeployDemo MANAGEMENT_URL FRONTEND_URL CONTAINER_NAME");
      System.exit(2);
    }
    try {
      new DeployDemo().deploy(args[0], args[1], args[2]);
    } catch (IOException e) {
      System.err.println("The demo app could not be deployed: " + e.getMessage());
      System.exit(1);
    }
  }

  private void deploy(String management, String frontend, String containerName)
      throws IOException, InterruptedException {
    System.out.println("Waiting for the management service at " + management + "...");
    awaitAnswer(get(management + "/actuator/health"), response -> response.statusCode() == 200);
    admin(management, "/admin/add_app", "{\"name\": \"demo\", \"input_type\": \"doubles\","
        + " \"default_output\": \"-1\", \"latency_slo_micros\": 100000}");
    admin(management, "/admin/add_model", "{\"model_name\": \"sum\", \"model_version\": \"1\","
        + " \"labels\": [], \"input_type\": \"doubles\", \"container_name\": \"" + containerName
        + "\", \"model_data_path\": \"DEPRECATED\", \"batch_size\": -1}");
    admin(management, "/admin/add_model_links",
        "{\"app_name\": \"demo\", \"model_names\": [\"sum\"]}");
    System.out.println("Waiting for the first prediction of the demo app...");
    String answer = awaitAnswer(post(frontend + "/demo/predict", PREDICTION),
        response -> response.body().contains("\"default\":false"));
    System.out.println("The demo app answers " + PREDICTION + " with " + answer);
  }

  /** One admin call; 200 or 409 (exists already) are fine, anything else is an error. */
  private void admin(String management, String path, String json)
      throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(post(management + path, json),
        HttpResponse.BodyHandlers.ofString());
    String kept = response.statusCode() == 409 ? "  (exists already: kept)" : "";
    System.out.println("  " + path + " -> " + response.body() + kept);
    if (response.statusCode() != 200 && response.statusCode() != 409) {
      throw new IOException(path + " answered " + response.statusCode());
    }
  }

  /** Sends the request until its answer passes, refusals included, for at most the patience. */
  private String awaitAnswer(HttpRequest request, Predicate<HttpResponse<String>> done)
      throws IOException, InterruptedException {
    String last = "no answer";
    while (Instant.now().isBefore(deadline)) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (done.test(response)) {
          return response.body();
        }
        last = response.statusCode() + " " + response.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(RETRY.toMillis());
    }
    throw new IOException(request.uri() + " did not answer as expected within " + PATIENCE
        + "; last: " + last);
  }

  private static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
  }

  private static HttpRequest post(String url, String json) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build();
  }
}
