package ai.clipper.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The monitoring that ships with the stack, against a real stack and a real Prometheus loading the
 * shipped rules: with known traffic running (an app whose model answers within its SLO, one whose
 * model is too slow for it, one whose model lost its replicas, and a model whose replica never
 * starts), every query of the Grafana dashboard and every recording and alert rule returns series,
 * and the key ones say the right thing about the right app or model.
 */
class PrometheusQueriesIT {

  private static final Path DASHBOARD = Path.of(System.getProperty("clipper.root", ".."),
      "deploy/observability/grafana/clipper-dashboard.json");
  /** Grafana's values for the dashboard's variables: every app and model, the p99, 30 s rates. */
  private static final Map<String, String> VARIABLES = Map.of("app", ".*", "model", ".*",
      "quantile", "0.99", "__rate_interval", "30s");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");
  /** A metric a query reads (not a recorded series such as app:clipper_goodput:rate5m). */
  private static final Pattern METRIC = Pattern.compile("(?<![:\\w])clipper_\\w+");
  /**
   * Scrapes and rule evaluations every 2 s (a scrape may take that long on a loaded 2-core
   * machine), and a generous bound.
   */
  private static final Duration SERIES_WAIT = Duration.ofSeconds(120);

  /**
   * Every request traced, so a metric recorded inside a span would carry an exemplar, which
   * Debian's Prometheus 2.42 refuses on a _count series (it marks the whole target down).
   */
  private static final String TRACING_ALL = "--management.tracing.sampling.probability=1.0";

  @RegisterExtension
  static final ClipperStack stack = ClipperStack.builder()
      .requires(Prometheus::installed, "prometheus is not installed (apt-get install -y"
          + " prometheus): skipping the dashboard and rule queries")
      .managementArgs(TRACING_ALL)
      .frontendArgs(TRACING_ALL)
      .build();
  private static Prometheus prometheus;
  private static ScheduledExecutorService traffic;

  @BeforeAll
  static void deployAndStartPrometheusAndTraffic() {
    deploy("answered", "quick", 1_000_000, "\"SLEEP_FIXED_MS\": \"1\"");
    // 300 ms a query against a 20 ms SLO: every answer is the default
    deploy("defaulting", "slow", 20_000, "\"SLEEP_FIXED_MS\": \"300\"");
    deploy("orphaned", "fading", 1_000_000, "\"SLEEP_FIXED_MS\": \"1\"");
    // a replica whose model fails to construct (no number to sleep): it never comes up
    stack.admin.ok("/admin/add_model", """
        {"model_name": "broken", "model_version": "1", "input_type": "doubles",
         "container_name": "java-sleep", "env": {"SLEEP_FIXED_MS": "never"}}""");
    for (String app : List.of("answered", "orphaned")) {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
          !stack.queries.post("/" + app + "/predict", "{\"input\": [0]}").json()
              .path("default").asBoolean(true));
    }
    await().atMost(Duration.ofSeconds(90)).until(() -> stack.upReplicas("slow", "1") == 1);
    // fading served once, so the frontends have its queue, then it loses its only replica
    stack.admin.ok("/admin/set_num_replicas",
        "{\"model_name\": \"fading\", \"model_version\": \"1\", \"num_replicas\": 0}");

    prometheus = Prometheus.start(Duration.ofSeconds(2), "127.0.0.1:" + stack.management.port(),
        List.of("127.0.0.1:" + stack.frontend.port()));
    traffic = drive(List.of("answered", "defaulting", "orphaned"));
  }

  private static void deploy(String app, String model, long sloMicros, String env) {
    stack.admin.ok("/admin/add_model", """
        {"model_name": "%s", "model_version": "1", "input_type": "doubles",
         "container_name": "java-sleep", "batch_size": 1, "env": {%s}}"""
        .formatted(model, env));
    stack.admin.ok("/admin/add_app", """
        {"name": "%s", "input_type": "doubles", "default_output": "-1",
         "latency_slo_micros": %d, "cache_enabled": false}""".formatted(app, sloMicros));
    stack.admin.ok("/admin/add_model_links",
        "{\"app_name\": \"%s\", \"model_names\": [\"%s\"]}".formatted(app, model));
  }

  /** A query to each app every 50 ms, each a fresh input, until the tests end. */
  private static ScheduledExecutorService drive(List<String> apps) {
    HttpClient http = HttpClient.newHttpClient();
    AtomicLong inputs = new AtomicLong();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    timer.scheduleAtFixedRate(() -> {
      for (String app : apps) {
        http.sendAsync(HttpRequest.newBuilder(URI.create(stack.frontend.url() + "/" + app
                + "/predict")).POST(HttpRequest.BodyPublishers.ofString(
                    "{\"input\": [%d]}".formatted(inputs.incrementAndGet()))).build(),
            HttpResponse.BodyHandlers.discarding());
      }
    }, 0, 50, TimeUnit.MILLISECONDS);
    return timer;
  }

  @AfterAll
  static void stopPrometheusAndTraffic() {
    if (traffic != null) {
      traffic.shutdownNow();
    }
    if (prometheus != null) {
      prometheus.close();
    }
  }

  @Test
  void everyTargetIsScrapedWithoutError() {
    await().atMost(SERIES_WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      List<String> targets = prometheus.targetHealth().lines().toList();
      // the broken model's replica never serves: its target is down, as it should be
      assertThat(targets).filteredOn(target -> !target.startsWith("clipper-model "))
          .hasSize(2).allSatisfy(target -> assertThat(target).contains(" up "));
      assertThat(targets).anySatisfy(target -> assertThat(target).startsWith("clipper-model ")
          .contains(" up "));
    });
  }

  @Test
  void everyDashboardQueryReturnsSeries() throws Exception {
    List<String> queries = new ArrayList<>();
    for (JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).path("panels")) {
      panel.path("targets").forEach(target -> queries.add(substitute(target.path("expr")
          .asText())));
    }
    assertThat(queries).hasSizeGreaterThan(10);

    awaitSeriesFromEach(queries);
  }

  @Test
  void everyRecordingAndAlertRuleReturnsSeries() {
    List<String> queries = new ArrayList<>();
    for (JsonNode group : prometheus.ruleGroups()) {
      for (JsonNode rule : group.path("rules")) {
        queries.add(rule.path("query").asText());
        if (rule.path("type").asText().equals("recording")) {
          queries.add(rule.path("name").asText());  // what Prometheus recorded
        }
      }
    }
    assertThat(queries).hasSizeGreaterThan(10);

    awaitSeriesFromEach(queries);
  }

  @Test
  void theDefaultRatioIsOneForTheDefaultingAppAndZeroForTheAnsweredOne() {
    await().atMost(SERIES_WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      Map<String, Double> ratios = byLabel(prometheus.query(
          "app:clipper_default_ratio:ratio_rate5m"), "app");
      assertThat(ratios).containsEntry("defaulting", 1.0).containsEntry("answered", 0.0);
    });
    assertThat(byLabel(prometheus.query(
        "sum by (reason) (clipper_defaults_total{app=\"defaulting\"})"), "reason"))
        .hasEntrySatisfying("slo", count -> assertThat(count).isPositive());
  }

  @Test
  void theAlertsGoOffForTheAppsAndModelsThatCauseThem() {
    await().atMost(SERIES_WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      List<String> alerts = StreamSupport.stream(prometheus.alerts().spliterator(), false)
          .map(alert -> alert.path("labels").path("alertname").asText() + " "
              + alert.path("labels").path("app").asText(
                  alert.path("labels").path("model").asText()))
          .toList();
      assertThat(alerts).contains("ClipperHighDefaultRatio defaulting",
          "ClipperSloBudgetBurnFast defaulting", "ClipperModelWithoutReplicas fading:1")
          .doesNotContain("ClipperHighDefaultRatio answered", "ClipperSloBudgetBurnFast answered")
          .anyMatch(alert -> alert.startsWith("ClipperReplicasNotUp broken"));
    });
  }

  @Test
  void theModelReplicasAreScrapedThroughTheManagementServicesDiscovery() {
    await().atMost(SERIES_WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
        assertThat(byLabel(prometheus.query("up{job=\"clipper-model\"}"), "model"))
            .containsEntry("quick", 1.0).containsEntry("slow", 1.0));
  }

  private static String substitute(String expr) {
    Matcher variable = VARIABLE.matcher(expr);
    StringBuilder result = new StringBuilder();
    while (variable.find()) {
      String name = variable.group(1) != null ? variable.group(1) : variable.group(2);
      assertThat(VARIABLES).as("dashboard variable in %s", expr).containsKey(name);
      variable.appendReplacement(result, Matcher.quoteReplacement(VARIABLES.get(name)));
    }
    return variable.appendTail(result).toString();
  }

  /**
   * Waits until each query returns at least one series; on timeout the failure lists the queries
   * still empty, each with the metrics it reads that Prometheus never scraped.
   */
  private static void awaitSeriesFromEach(List<String> queries) {
    await().atMost(SERIES_WAIT).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
      Map<String, List<String>> empty = new LinkedHashMap<>();
      for (String query : queries) {
        if (prometheus.query(query).isEmpty()) {
          empty.put(query, neverScraped(query));
        }
      }
      assertThat(empty).as("queries without a series -> the metrics they read that no target"
          + " exposes; the targets:\n" + prometheus.targetHealth()).isEmpty();
    });
  }

  private static List<String> neverScraped(String query) {
    List<String> missing = new ArrayList<>();
    Matcher metric = METRIC.matcher(query);
    while (metric.find()) {
      if (!missing.contains(metric.group())
          && prometheus.query("count(" + metric.group() + ")").isEmpty()) {
        missing.add(metric.group());
      }
    }
    return missing;
  }

  /** A vector's values by one of its labels. */
  private static Map<String, Double> byLabel(JsonNode vector, String label) {
    Map<String, Double> values = new LinkedHashMap<>();
    vector.forEach(series -> values.put(series.path("metric").path(label).asText(),
        Double.parseDouble(series.path("value").get(1).asText())));
    return values;
  }
}
