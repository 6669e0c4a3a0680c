package ai.clipper.bench;

import static ai.clipper.bench.Markdown.ms;
import static ai.clipper.bench.Markdown.rate;
import static ai.clipper.bench.Markdown.target;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The closed-loop flood's table ({@code bench/flood}): wrk's points, each beside the WebFlux
 * echo at the same number of connections, and the targets as ratios within the run.
 *
 * <p>Points are found by their scenario key: {@code model:alone} (the bare model container fed
 * over gRPC, its own rate), {@code flood:APP} (a warm app), {@code fresh:APP} (the first seconds
 * after the app's model was deployed), {@code cold:demo} (input_batches of three right after the
 * stack is ready) and {@code echo:beside}.
 */
final class FloodTable {

  static final String ECHO = "echo:beside";
  static final String ADAPTIVE = "sleep-adaptive";
  static final String BATCH1 = "sleep-batch1";

  /** Each app's SLO in ms, by app name. */
  record Settings(Map<String, Double> sloMillis) {

    /** Parses {@code app=ms,app=ms}. */
    static Settings parse(String slos) {
      Map<String, Double> parsed = new java.util.LinkedHashMap<>();
      for (String pair : slos.split(",")) {
        String[] kv = pair.split("=");
        parsed.put(kv[0].trim(), Double.parseDouble(kv[1].trim()));
      }
      return new Settings(parsed);
    }
  }

  private final List<Result> results;
  private final Settings settings;

  FloodTable(List<Result> results, Settings settings) {
    this.results = List.copyOf(results);
    this.settings = settings;
  }

  String markdown() {
    List<String[]> rows = new ArrayList<>();
    for (Result r : results) {
      if (r.scenario().equals(ECHO)) {
        continue;
      }
      rows.add(new String[] {r.label(), r.mode(), rate(r.throughput()), rate(r.goodput()),
          rate(r.defaultsPerSecond()), Long.toString(r.rejected()),
          Long.toString(r.errorsBeyondRejections()), ms(r.p50()), ms(r.p99()), ms(r.p999()),
          echo(r.mode()).map(e -> ms(e.p999())).orElse("-")});
    }
    return Markdown.table("| point | load | answers/s | real answers/s | defaults/s | 503s "
        + "| errors | p50 ms | p99 ms | p99.9 ms | echo p99.9 ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|", rows)
        + "\nTargets (ratios within this run):\n\n" + Markdown.targets(targetRows());
  }

  private List<String[]> targetRows() {
    List<String[]> rows = new ArrayList<>();
    double warm32 = goodput("flood:" + ADAPTIVE, 32);
    for (int c : new int[] {256, 1024}) {
      rows.add(target(String.format(Locale.ROOT,
          "%s at c=%d: real answers/s >= 0.9 x at c=32 (%s/s)", ADAPTIVE, c, rate(warm32)),
          goodput("flood:" + ADAPTIVE, c) / warm32, "%.2f x", x -> x >= 0.9));
    }
    rows.add(target(String.format(Locale.ROOT,
        "%s, first seconds after deploy, c=32: real answers/s >= 0.9 x warm", ADAPTIVE),
        goodput("fresh:" + ADAPTIVE, 32) / warm32, "%.2f x", x -> x >= 0.9));
    double model = results.stream().filter(r -> r.scenario().equals("model:alone"))
        .mapToDouble(Result::goodput).max().orElse(Double.NaN);
    rows.add(target(String.format(Locale.ROOT,
        "%s at c=64: real answers/s >= 0.9 x the model's own rate (%s/s)", BATCH1, rate(model)),
        goodput("flood:" + BATCH1, 64) / model, "%.2f x", x -> x >= 0.9));
    long errors = 0;
    for (Result r : results) {
      if (!r.scenario().startsWith("flood:") && !r.scenario().startsWith("fresh:")) {
        continue;
      }
      errors += r.errorsBeyondRejections();
      String app = r.scenario().substring(r.scenario().indexOf(':') + 1);
      double bound = settings.sloMillis().getOrDefault(app, Double.NaN)
          + echo(r.mode()).map(Result::p999).orElse(Double.NaN);
      rows.add(target(String.format(Locale.ROOT, "%s: p99.9 <= SLO + echo p99.9 = %s ms",
          r.label(), ms(bound)), r.p999(), "%.2f ms", x -> x <= bound));
    }
    rows.add(target("no errors, no socket errors (every flood point)", errors, "%.0f",
        x -> x == 0));
    results.stream().filter(r -> r.scenario().equals("cold:demo")).findFirst()
        .ifPresent(cold -> rows.add(target(String.format(Locale.ROOT,
            "%d input_batches of three right after ready: no default", cold.answers() / 3),
            cold.defaults(), "%.0f defaults", x -> x == 0)));
    return rows;
  }

  /** Real answers/s of the scenario's point at {@code connections}; NaN when not measured. */
  private double goodput(String scenario, int connections) {
    return results.stream()
        .filter(r -> r.scenario().equals(scenario) && r.concurrency() == connections)
        .mapToDouble(Result::goodput).findFirst().orElse(Double.NaN);
  }

  private Optional<Result> echo(String mode) {
    return results.stream().filter(r -> r.scenario().equals(ECHO) && r.mode().equals(mode))
        .findFirst();
  }
}
