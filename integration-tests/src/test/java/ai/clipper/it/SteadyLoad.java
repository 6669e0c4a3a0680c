package ai.clipper.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A few clients sending fresh queries to one app, one after another, until stopped; every answer
 * or connection error is kept with the time it was sent, for tests that break parts under load.
 */
final class SteadyLoad implements AutoCloseable {

  /**
   * @param sentMillis when the query was sent, since the load started
   * @param status the HTTP status, or -1 when the connection failed or timed out
   * @param isDefault whether the answer was the app's default output
   * @param error the connection error or the body of a non-200 answer, else null
   */
  record Outcome(long sentMillis, int status, boolean isDefault, String error) {
  }

  private final long start = System.nanoTime();
  private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
  private final List<Thread> clients = new ArrayList<>();
  private volatile boolean running = true;

  /** Starts {@code clients} threads posting to {@code url}, each answer awaited at most 5 s. */
  SteadyLoad(String url, int clients) {
    this(url, clients, 0);
  }

  /** The same, each query for one of the users 1 to {@code uids} ({@code "uid"}), if above 0. */
  SteadyLoad(String url, int clients, int uids) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    for (int i = 0; i < clients; i++) {
      Thread client = new Thread(() -> {
        while (running) {
          outcomes.add(send(http, url, uids));
        }
      }, "steady-load-" + i);
      client.setDaemon(true);
      client.start();
      this.clients.add(client);
    }
  }

  private Outcome send(HttpClient http, String url, int uids) {
    long sent = millis();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String body = "{\"input\": [%d, %d]}".formatted(random.nextInt(1000), random.nextInt(1000));
    if (uids > 0) {
      body = "{\"uid\": %d, %s".formatted(random.nextInt(uids) + 1, body.substring(1));
    }
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(5))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      boolean ok = response.statusCode() == 200;
      return new Outcome(sent, response.statusCode(),
          ok && response.body().contains("\"default\":true"), ok ? null : response.body());
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return new Outcome(sent, -1, false, e.toString());
    }
  }

  /** Milliseconds since the load started, on the clock of {@link Outcome#sentMillis}. */
  long millis() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  List<Outcome> outcomes() {
    return List.copyOf(outcomes);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread client : clients) {
      client.join(10_000);
    }
  }
}
