package ai.clipper.it;

import ai.clipper.metadata.localredis.LocalRedis;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's {@code /usr/bin/prometheus}) on a free port with a temporary data
 * directory and the config that {@code ./clipper up --observe} renders
 * ({@code deploy/observability/render-local.sh}), so the rules it loads are the shipped ones.
 */
final class Prometheus implements AutoCloseable {

  private final Process process;
  private final Path dir;
  private final HttpJson api;

  private Prometheus(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.api = new HttpJson("http://127.0.0.1:" + port);
  }

  /** Whether {@code prometheus} runs on this machine ({@code apt-get install -y prometheus}). */
  static boolean installed() {
    try {
      return new ProcessBuilder("prometheus", "--version").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /**
   * Prometheus scraping {@code management} and each of {@code frontends} (host:port) every
   * {@code interval}, ready to answer queries.
   */
  static Prometheus start(Duration interval, String management, List<String> frontends)
      throws IOException {
    Path root = Path.of(System.getProperty("clipper.root", "..")).toAbsolutePath().normalize();
    Path dir = Files.createTempDirectory("clipper-it-prometheus-");
    List<String> render = new ArrayList<>(List.of(
        root.resolve("deploy/observability/render-local.sh").toString(),
        interval.toMillis() + "ms", management));
    render.addAll(frontends);
    Path config = dir.resolve("prometheus.yml");
    run(new ProcessBuilder(render).redirectOutput(config.toFile()));
    int port = LocalRedis.freePort();
    Process process = new ProcessBuilder("prometheus", "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("prometheus.log").toFile())
        .start();
    Prometheus prometheus = new Prometheus(process, dir, port);
    prometheus.awaitReady();
    return prometheus;
  }

  private static void run(ProcessBuilder command) throws IOException {
    try {
      if (command.redirectError(ProcessBuilder.Redirect.INHERIT).start().waitFor() != 0) {
        throw new IllegalStateException("failed: " + command.command());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private void awaitReady() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("prometheus exited at start:\n" + log());
      }
      try {
        if (api.get("/-/ready").status() == 200) {
          return;
        }
      } catch (java.io.UncheckedIOException notYet) {
        // not listening yet
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    throw new IllegalStateException("prometheus not ready within 60 s:\n" + log());
  }

  /** The series an instant query returns now (its {@code data.result}); fails on an error. */
  JsonNode query(String promql) {
    HttpJson.Answer answer = api.get("/api/v1/query?query="
        + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    if (answer.status() != 200) {
      throw new AssertionError("Prometheus rejected " + promql + ": " + answer.body());
    }
    return answer.json().path("data").path("result");
  }

  /** The rule groups Prometheus loaded ({@code /api/v1/rules}'s {@code data.groups}). */
  JsonNode ruleGroups() {
    return api.get("/api/v1/rules").json().path("data").path("groups");
  }

  /** The alerts pending or firing now ({@code /api/v1/alerts}'s {@code data.alerts}). */
  JsonNode alerts() {
    return api.get("/api/v1/alerts").json().path("data").path("alerts");
  }

  /** Each scrape target's job, instance, health and last error, for a failure's message. */
  String targetHealth() {
    StringBuilder health = new StringBuilder();
    api.get("/api/v1/targets").json().path("data").path("activeTargets").forEach(target ->
        health.append(target.path("labels").path("job").asText()).append(' ')
            .append(target.path("labels").path("instance").asText()).append(' ')
            .append(target.path("health").asText()).append(' ')
            .append(target.path("lastError").asText()).append(" (")
            .append(target.path("lastScrapeDuration").asText()).append(" s)\n"));
    return health.toString();
  }

  String log() throws IOException {
    return Files.readString(dir.resolve("prometheus.log"));
  }

  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    }
  }
}
