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
 * Two frontends measured in turns ({@code bench/compare}): per point the median over the rounds
 * of each side's throughput, p50 and p99, their ratio (new / base), then issue 9's targets on the
 * cache path. A point's scenario is what was loaded ({@code cached}, {@code noop}), its label the
 * side that answered.
 *
 * @see OverloadTable for the rest of issue 9's targets
 */
final class CompareTable {

  /** The sides' labels, and the cache path's concurrency whose throughput is judged. */
  record Settings(String base, String candidate, int throughputConcurrency) {}

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
        + '\n' + "Targets of issue 9 (cache path, " + next + " against " + base + "):\n\n"
        + Markdown.targets(targetRows());
  }

  private List<String[]> targetRows() {
    List<String[]> rows = new ArrayList<>();
    int c = settings.throughputConcurrency();
    double throughput = points().stream()
        .filter(p -> p.scenario().equals("cached") && p.mode().equals("closed c=" + c))
        .mapToDouble(p -> ratio(p, Result::throughput)).findFirst().orElse(Double.NaN);
    rows.add(target(String.format(Locale.ROOT, "cache path throughput at c=%d >= 1.5 x %s's", c,
        settings.base()), throughput, "%.2f x", x -> x >= 1.5));
    for (Point point : points()) {
      if (point.scenario().equals("cached")) {
        rows.add(target(String.format(Locale.ROOT, "cache path p99 at %s <= 0.5 x %s's",
            point.mode().replace("closed ", ""), settings.base()), ratio(point, Result::p99),
            "%.2f x", x -> x <= 0.5));
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
