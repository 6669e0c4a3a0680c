package ai.clipper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.clipper.metadata.localredis.LocalRedis;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./clipper up} as a user runs it, on free ports and its own run directory: each of its
 * processes killed in turn ({@code kill -9}) is restarted and the demo app answers from its model
 * again; then SIGTERM leaves no process behind, model replicas included. About two minutes here.
 */
class ClipperUpIT {

  private static final Path ROOT =
      Path.of(System.getProperty("clipper.root", "..")).toAbsolutePath().normalize();
  /** Each fault: a JVM restarted on 2 shared cores, then the frontend's warm-up. */
  private static final Duration BACK_WITHIN = Duration.ofSeconds(120);

  /** The processes ./clipper up supervises, by words of their command line. */
  private static final Map<String, List<String>> SUPERVISED = Map.of(
      "redis", List.of("redis-server", "LocalRedis"),
      "management", List.of("management-service"),
      "query-frontend", List.of("query-frontend-service"));

  @Test
  void restartsEachProcessThatDiesAndLeavesNoneBehindOnSigterm(@TempDir Path run)
      throws Exception {
    int queryPort = LocalRedis.freePort();
    Path output = run.resolve("clipper-up.out");
    ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("clipper").toString(), "up")
        .directory(ROOT.toFile())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    builder.environment().putAll(Map.of(
        "CLIPPER_QUERY_PORT", Integer.toString(queryPort),
        "CLIPPER_MANAGEMENT_PORT", Integer.toString(LocalRedis.freePort()),
        "CLIPPER_RUN_DIR", run.toString(),
        "CLIPPER_SERVICE_JAVA_OPTS", "-Xmx384m -XX:TieredStopAtLevel=1"));
    Process up = builder.start();
    HttpJson queries = new HttpJson("http://127.0.0.1:" + queryPort);
    Set<ProcessHandle> seen = new HashSet<>();
    try {
      await().atMost(BACK_WITHIN).pollInterval(Duration.ofMillis(100)).until(() ->
          !up.isAlive() || Files.readString(output).contains("Clipper is up."));
      assertThat(up.isAlive()).as(Files.readString(output)).isTrue();
      // the cold start: the first queries after "up" find the demo model warm (100 ms SLO)
      for (int i = 0; i < 200; i++) {
        JsonNode answer = queries.ok("/demo/predict",
            "{\"input_batch\": [[1, 2], [3], [%d]]}".formatted(i));
        assertThat(answer.get("batch_predictions").findValuesAsText("default"))
            .as("query %d right after up: %s", i, answer).containsOnly("false");
      }
      for (String name : List.of("redis", "management", "query-frontend")) {
        ProcessHandle victim = supervised(up, name).orElseThrow();
        seen.addAll(up.descendants().toList());
        victim.destroyForcibly();

        await().atMost(BACK_WITHIN).pollInterval(Duration.ofMillis(200)).until(() ->
            supervised(up, name).filter(p -> p.pid() != victim.pid()).isPresent());
        awaitDemoAnswer(queries, up, output);
        assertThat(Files.readString(output)).contains(name + " exited (status 137)",
            name + " restarted");
      }
      seen.addAll(up.descendants().toList());
    } finally {
      up.destroy(); // SIGTERM, as Ctrl-C or a service manager sends
      assertThat(up.waitFor(90, TimeUnit.SECONDS)).as(Files.readString(output)).isTrue();
    }
    assertThat(seen).as("every process ./clipper up started, replicas included")
        .hasSizeGreaterThanOrEqualTo(4);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(seen).noneMatch(ProcessHandle::isAlive));
    assertThat(Files.readString(output)).contains("Stopped.");
  }

  private static void awaitDemoAnswer(HttpJson queries, Process up, Path output) {
    await().atMost(BACK_WITHIN).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
        .untilAsserted(() -> {
          assertThat(up.isAlive()).as(Files.readString(output)).isTrue();
          JsonNode answer = queries.ok("/demo/predict", "{\"input\": [1, 2, 3]}");
          assertThat(answer.get("default").asBoolean()).as(answer.toString()).isFalse();
          assertThat(answer.get("output").asInt()).isEqualTo(6);
        });
  }

  /** The script's child running {@code name}, if one runs now. */
  private static Optional<ProcessHandle> supervised(Process up, String name) {
    return up.children()
        .filter(child -> SUPERVISED.get(name).stream()
            .anyMatch(ClipperStack.proc(child, "cmdline")::contains))
        .findFirst();
  }
}
