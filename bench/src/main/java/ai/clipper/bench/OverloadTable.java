package ai.clipper.bench;

import static ai.clipper.bench.Markdown.ms;
import static ai.clipper.bench.Markdown.rate;
import static ai.clipper.bench.Markdown.target;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The overload benchmark's rows of a run, each beside the WebFlux echo at the same load (the tail our HTTP stack
 * has by itself here): the overload table (open loop at multiples of a model's measured capacity,
 * closed loop at many connections), the first minute after a fresh frontend reports ready, and
 * one app's answers while another is overloaded; then its targets as ratios in the run.
 *
 * <p>Points are found by their scenario key, {@code group:app[:load]}: {@code capacity:APP},
 * {@code overload:APP:3x} (open loop at 3x the capacity), {@code overload:APP} (closed loop),
 * {@code first-minute:APP} (a fresh frontend), {@code warm:APP}, {@code alone:APP},
 * {@code during:APP} (while {@code interferer:APP} overloads its model), and {@code echo:beside},
 * which stands beside every row of the same mode.
 */
final class OverloadTable {

  static final String ECHO = "echo:beside";

  /** The overloaded apps' SLO, and the apps that opted for 503s ({@code "overload": "reject"}). */
  record Settings(double sloMillis, Set<String> rejectingApps) {}

  private final List<Result> results;
  private final Settings settings;

  OverloadTable(List<Result> results, Settings settings) {
    this.results = List.copyOf(results);
    this.settings = settings;
  }

  String markdown() {
    StringBuilder out = new StringBuilder();
    section(out, String.format(Locale.ROOT, "Overload (SLO %s ms)", ms(settings.sloMillis())),
        "capacity", "overload");
    section(out, "First minute after ready", "first-minute", "warm");
    section(out, "Interference", "alone", "interferer", "during");
    List<String[]> targets = targetRows();
    if (!targets.isEmpty()) {
      out.append("Targets of the overload benchmark:\n\n").append(Markdown.targets(targets));
    }
    return out.toString();
  }

  private void section(StringBuilder out, String title, String... groups) {
    List<String[]> rows = results.stream()
        .filter(r -> List.of(groups).contains(group(r)))
        .map(this::row)
        .toList();
    if (!rows.isEmpty()) {
      out.append(title).append(":\n\n").append(Markdown.table("| point | mode | offered/s "
          + "| goodput/s | defaults/s | 503/s | p50 ms | p99 ms | p99.9 ms | max ms "
          + "| % late (> SLO + 5 ms) | socket errors | other errors | echo p99 ms | echo p99.9 ms |",
          "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|", rows))
          .append('\n');
    }
  }

  private String[] row(Result r) {
    Optional<Result> echo = echoAt(r.mode());
    return new String[] {r.label(), r.mode(), rate(r.offered()), rate(r.goodput()),
        rate(r.defaultsPerSecond()), rate(r.rejectedPerSecond()), ms(r.p50()), ms(r.p99()),
        ms(r.p999()), ms(r.max()), Double.isNaN(r.latePercent()) ? "-"
            : String.format(Locale.ROOT, "%.2f", r.latePercent()),
        Long.toString(r.errors()), Long.toString(r.non200() + r.unfinished()),
        ms(echo.map(Result::p99).orElse(Double.NaN)),
        ms(echo.map(Result::p999).orElse(Double.NaN))};
  }

  private List<String[]> targetRows() {
    List<String[]> rows = new ArrayList<>();
    for (String app : apps("overload")) {
      overloadTargets(rows, app);
    }
    for (String app : apps("warm")) {
      for (Result warm : all("warm:" + app)) {
        int c = warm.concurrency();
        rows.add(echoRatio(app + " (instant default, warm) p99.9 <= 2 x echo's at c=" + c,
            Optional.of(warm), c, 2));
        rows.add(echoRatio(app + " first minute after ready: p99.9 <= 5 x echo's at c=" + c,
            find("first-minute:" + app, c), c, 5));
      }
    }
    Optional<Result> interferer = results.stream().filter(r -> group(r).equals("interferer"))
        .findFirst();
    for (String app : apps("alone")) {
      Optional<Result> alone = find("alone:" + app);
      Optional<Result> during = find("during:" + app);
      double bound = alone.map(Result::p99).orElse(Double.NaN)
          + interferer.flatMap(i -> echoAt(i.mode())).map(Result::p999).orElse(Double.NaN);
      rows.add(target(String.format(Locale.ROOT, "%s p99 during %s's overload <= p99 alone + "
              + "echo p99.9 at its load = %s ms", app,
              interferer.map(OverloadTable::app).orElse("?"), ms(bound)),
          Double.isNaN(bound) ? Double.NaN : during.map(Result::p99).orElse(Double.NaN),
          "%.2f ms", x -> x <= bound));
    }
    return rows;
  }

  private void overloadTargets(List<String[]> rows, String app) {
    Optional<Result> one = find("overload:" + app + ":1x");
    Optional<Result> three = find("overload:" + app + ":3x");
    rows.add(target(app + " at 3x: goodput >= 0.9 x goodput at 1x",
        one.isPresent() && three.isPresent() ? three.get().goodput() / one.get().goodput()
            : Double.NaN, "%.2f x", x -> x >= 0.9));
    boolean rejects = settings.rejectingApps().contains(app);
    rows.add(target(app + " at 3x: no errors" + (rejects ? " but opted-in 503s" : ", no 503s"),
        three.map(r -> (double) (rejects ? r.errorsBeyondRejections() : r.failures()))
            .orElse(Double.NaN), "%.0f", x -> x == 0));
    double slo = settings.sloMillis();
    double bound = slo + three.flatMap(r -> echoAt(r.mode())).map(Result::p999)
        .orElse(Double.NaN);
    rows.add(target(String.format(Locale.ROOT,
            "%s at 3x: p99.9 <= SLO + echo p99.9 at the same load = %s ms", app, ms(bound)),
        Double.isNaN(bound) ? Double.NaN : three.map(Result::p999).orElse(Double.NaN),
        "%.2f ms", x -> x <= bound));
    rows.add(target(String.format(Locale.ROOT,
            "%s at 3x: p99.9 <= SLO + 5 ms = %s ms (on a quiet machine)", app, ms(slo + 5)),
        three.map(Result::p999).orElse(Double.NaN), "%.2f ms", x -> x <= slo + 5));
    all("overload:" + app).stream().max(Comparator.comparingInt(Result::concurrency))
        .ifPresent(most -> rows.add(target(String.format(Locale.ROOT,
            "%s: 0 socket errors at c=%d", app, most.concurrency()), most.errors(), "%.0f",
            x -> x == 0)));
  }

  private String[] echoRatio(String target, Optional<Result> point, int c, double most) {
    Optional<Result> echo = find(ECHO, c);
    return target(target, point.isPresent() && echo.isPresent()
        ? point.get().p999() / echo.get().p999() : Double.NaN, "%.2f x", x -> x <= most);
  }

  /** The apps of {@code group}'s points, in the run's order. */
  private Set<String> apps(String group) {
    Set<String> apps = new LinkedHashSet<>();
    results.stream().filter(r -> group(r).equals(group)).forEach(r -> apps.add(app(r)));
    return apps;
  }

  private Optional<Result> echoAt(String mode) {
    return results.stream().filter(r -> r.scenario().equals(ECHO) && r.mode().equals(mode))
        .findFirst();
  }

  private Optional<Result> find(String scenario) {
    return all(scenario).stream().findFirst();
  }

  private Optional<Result> find(String scenario, int concurrency) {
    return all(scenario).stream().filter(r -> r.concurrency() == concurrency).findFirst();
  }

  private List<Result> all(String scenario) {
    return results.stream().filter(r -> r.scenario().equals(scenario)).toList();
  }

  private static String group(Result r) {
    return r.scenario().split(":")[0];
  }

  private static String app(Result r) {
    String[] parts = r.scenario().split(":");
    return parts.length > 1 ? parts[1] : "";
  }
}
