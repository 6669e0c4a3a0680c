package ai.clipper.bench;

import static ai.clipper.bench.Markdown.ms;
import static ai.clipper.bench.Markdown.rate;
import static ai.clipper.bench.Markdown.target;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Two frontends measured in turns ({@code bench/compare}, {@code bench/tracing}): per point the
 * median over the rounds of each side's throughput, p50 and p99, their ratio (new / base), then
 * the targets on one scenario: its throughput at one concurrency at least a ratio of the base's,
 * its p99 at every concurrency at most a ratio of the base's. A point's scenario is what was
 * loaded ({@code cached}, {@code noop}), its label the side that answered.
 */
final class CompareTable {

  /**
   * The sides' labels, and the targets: {@code scenario}'s throughput at
   * {@code throughputConcurrency} at least {@code minThroughputRatio} x the base's, its p99 at
   * most {@code maxP99Ratio} x the base's.
   */
  record Settings(String base, String candidate, String scenario, int throughputConcurrency,
      double minThroughputRatio, double maxP99Ratio) {}

  private final List<Result> results;
  private final Settings settings;

  CompareTable(List<Result> results, Settings settings) {
    this.results = List.copyOf(results);
    this.settings = settings;
  }

  String markdown() {
    String base = settings.base();
    String next = settings.candidate();
    List<String[]> rows = new ArrayList<>();
    for (Point point : points()) {
      rows.add(new String[] {point.scenario(), point.mode(),
          of(point, base).size() + " / " + of(point, next).size(),
          rate(median(point, base, Result::throughput)),
          rate(median(point, next, Result::throughput)), times(ratio(point, Result::throughput)),
          ms(median(point, base, Result::p50)), ms(median(point, next, Result::p50)),
          times(ratio(point, Result::p50)),
          ms(median(point, base, Result::p99)), ms(median(point, next, Result::p99)),
          times(ratio(point, Result::p99))});
    }
    String header = String.format(Locale.ROOT, "| point | mode | rounds | %1$s req/s | %2$s req/s "
        + "| ratio | %1$s p50 ms | %2$s p50 ms | ratio | %1$s p99 ms | %2$s p99 ms | ratio |",
        base, next);
    return "Medians over the rounds; ratio = " + next + " / " + base + ":\n\n"
        + Markdown.table(header, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            rows)
        + '\n' + "Targets (" + settings.scenario() + ", " + next + " against " + base + "):\n\n"
        + Markdown.targets(targetRows());
  }

  private List<String[]> targetRows() {
    List<String[]> rows = new ArrayList<>();
    int c = settings.throughputConcurrency();
    String scenario = settings.scenario();
    double throughput = points().stream()
        .filter(p -> p.scenario().equals(scenario) && p.mode().equals("closed c=" + c))
        .mapToDouble(p -> ratio(p, Result::throughput)).findFirst().orElse(Double.NaN);
    rows.add(target(String.format(Locale.ROOT, "%s throughput at c=%d >= %.2f x %s's", scenario,
        c, settings.minThroughputRatio(), settings.base()), throughput, "%.2f x",
        x -> x >= settings.minThroughputRatio()));
    for (Point point : points()) {
      if (point.scenario().equals(scenario)) {
        rows.add(target(String.format(Locale.ROOT, "%s p99 at %s <= %.2f x %s's", scenario,
            point.mode().replace("closed ", ""), settings.maxP99Ratio(), settings.base()),
            ratio(point, Result::p99), "%.2f x", x -> x <= settings.maxP99Ratio()));
      }
    }
    return rows;
  }

  private List<Point> points() {
    Set<Point> points = new LinkedHashSet<>();
    results.forEach(r -> points.add(new Point(r.scenario(), r.mode())));
    return List.copyOf(points);
  }

  /** The candidate's median of {@code metric} over the base's. */
  private double ratio(Point point, ToDoubleFunction<Result> metric) {
    return median(point, settings.candidate(), metric) / median(point, settings.base(), metric);
  }

  /** The median of {@code metric} over {@code side}'s rounds of {@code point}; NaN if none. */
  private double median(Point point, String side, ToDoubleFunction<Result> metric) {
    double[] values = of(point, side).stream().mapToDouble(metric).sorted().toArray();
    if (values.length == 0) {
      return Double.NaN;
    }
    int mid = values.length / 2;
    return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }

  private static String times(double x) {
    return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.2f x", x);
  }

  /** One load (scenario and mode), measured on both sides. */
  private record Point(String scenario, String mode) {}

  private List<Result> of(Point point, String side) {
    return results.stream().filter(r -> r.scenario().equals(point.scenario())
        && r.mode().equals(point.mode()) && r.label().equals(side)).toList();
  }
}
