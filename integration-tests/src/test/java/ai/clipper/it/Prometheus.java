package ai.clipper.it;

import ai.clipper.metadata.localredis.LocalRedis;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Prometheus (Debian's {@code /usr/bin/prometheus}) on a free port with a temporary data
 * directory and the config that {@code ./clipper up --observe} renders
 * ({@code deploy/observability/render-local.sh}), so the rules it loads are the shipped ones.
 */
final class Prometheus implements AutoCloseable {

  private final ExternalProcess process;
  private final HttpJson api;

  private Prometheus(ExternalProcess process, int port) {
    this.process = process;
    this.api = new HttpJson("http://127.0.0.1:" + port);
  }

  /** Whether {@code prometheus} runs on this machine ({@code apt-get install -y prometheus}). */
  static boolean installed() {
    return ExternalProcess.installed("prometheus", "--version");
  }

  /**
   * Prometheus scraping {@code management} and each of {@code frontends} (host:port) every
   * {@code interval}, ready to answer queries.
   */
  static Prometheus start(Duration interval, String management, List<String> frontends) {
    ScratchDirectory dir = ScratchDirectory.create("prometheus");
    List<String> targets = new ArrayList<>(List.of(interval.toMillis() + "ms", management));
    targets.addAll(frontends);
    Path config = dir.resolve("prometheus.yml");
    ExternalProcess.render("deploy/observability/render-local.sh", targets, config);
    int port = LocalRedis.freePort();
    Prometheus prometheus = new Prometheus(ExternalProcess.start("prometheus", dir,
        new ProcessBuilder("prometheus", "--config.file=" + config,
            "--storage.tsdb.path=" + dir.resolve("data"),
            "--web.listen-address=127.0.0.1:" + port)), port);
    prometheus.process.awaitReady(Duration.ofSeconds(60),
        () -> prometheus.api.get("/-/ready").status() == 200);
    return prometheus;
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

  String log() {
    return process.log();
  }

  @Override
  public void close() {
    process.close();
  }
}
