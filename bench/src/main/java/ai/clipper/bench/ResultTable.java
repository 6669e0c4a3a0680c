package ai.clipper.bench;

import static ai.clipper.bench.Markdown.ms;
import static ai.clipper.bench.Markdown.rate;
import static ai.clipper.bench.Markdown.target;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One run's points as one markdown table, side by side, then its targets as ratios
 * measured in that same run, each PASS or MISS.
 */
final class ResultTable {

  /** Which points the targets compare: the high concurrency of (1)/(3), the one of (4), the SLO. */
  record Targets(int highConcurrency, int sleepConcurrency, double sloMillis) {}

  private final List<Result> results;
  private final Targets targets;

  ResultTable(List<Result> results, Targets targets) {
    this.results = List.copyOf(results);
    this.targets = targets;
  }

  String markdown() {
    List<String[]> rows = results.stream().map(r -> new String[] {r.label(), r.mode(),
        rate(r.throughput()), ms(r.p50()), ms(r.p99()), ms(r.p999()),
        String.format(Locale.ROOT, "%.1f", r.defaultPercent()), Long.toString(r.failures())})
        .toList();
    return Markdown.table(
        "| scenario | mode | req/s | p50 ms | p99 ms | p99.9 ms | % default | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|", rows) + '\n' + Markdown.targets(targetRows());
  }

  private List<String[]> targetRows() {
    List<String[]> rows = new ArrayList<>();
    int high = targets.highConcurrency();
    Optional<Result> ceiling = find("ceiling", high);
    Optional<Result> noopHigh = find("noop", high);
    rows.add(target(String.format(Locale.ROOT,
            "(3) throughput >= 0.5 x (1) at c=%d", high),
        ceiling.isPresent() && noopHigh.isPresent()
            ? noopHigh.get().throughput() / ceiling.get().throughput() : Double.NaN,
        "%.2f x", x -> x >= 0.5));
    Optional<Result> floorOne = find("floor", 1);
    Optional<Result> noopOne = find("noop", 1);
    double added = floorOne.isPresent() && noopOne.isPresent()
        ? noopOne.get().p50() - floorOne.get().p50() : Double.NaN;
    rows.add(target("(3) p50 <= (2) p50 + 1 ms at c=1", added, "+%.3f ms", x -> x <= 1.0));
    rows.add(target("(3) p50 <= (2) p50 + 0.15 ms at c=1 (stretch)", added, "+%.3f ms",
        x -> x <= 0.15));
    int sleepC = targets.sleepConcurrency();
    Optional<Result> batchOne = find("sleep-batch1", sleepC);
    Optional<Result> adaptive = find("sleep-adaptive", sleepC);
    // Judged on non-default answers (a default is not a prediction); the ratio of all 200
    // answers is shown beside it, since batch size 1 past its capacity answers mostly defaults.
    String allAnswers = batchOne.isPresent() && adaptive.isPresent()
        ? String.format(Locale.ROOT, " (all 200s: %.2f x)",
            adaptive.get().throughput() / batchOne.get().throughput())
        : "";
    rows.add(target(String.format(Locale.ROOT,
            "(4) adaptive >= 10 x batch 1, non-default req/s at c=%d", sleepC),
        batchOne.isPresent() && adaptive.isPresent()
            ? adaptive.get().goodput() / batchOne.get().goodput() : Double.NaN,
        "%.2f x" + allAnswers.replace("%", "%%"), x -> x >= 10));
    rows.add(target(String.format(Locale.ROOT,
            "(4) adaptive p99 <= SLO %s ms at c=%d", ms(targets.sloMillis()), sleepC),
        adaptive.map(Result::p99).orElse(Double.NaN), "%.2f ms", x -> x <= targets.sloMillis()));
    rows.add(target("(5) cache p50 < 0.5 ms at c=1",
        find("cached", 1).map(Result::p50).orElse(Double.NaN), "%.3f ms", x -> x < 0.5));
    return rows;
  }

  private Optional<Result> find(String scenario, int concurrency) {
    return results.stream()
        .filter(r -> r.scenario().equals(scenario) && r.concurrency() == concurrency)
        .findFirst();
  }
}
