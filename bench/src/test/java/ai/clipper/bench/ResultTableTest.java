package ai.clipper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one table of a run, and its targets. */
class ResultTableTest {

  private static Result closed(String scenario, int c, double seconds, long ok, long defaults,
      double p50, double p99) {
    return new Result(scenario, scenario + " label", "closed c=" + c, seconds,
        (ok + defaults) / seconds, ok, defaults, 0, 0, 0, 0, -1, p50, p99, p99 * 2, p99 * 3);
  }

  private static final ResultTable.Targets TARGETS = new ResultTable.Targets(64, 32, 20);

  @Test
  void printsOneRowPerPointAndEveryTargetWithItsRatio() {
    List<Result> results = List.of(
        closed("ceiling", 64, 10, 300_000, 0, 1.5, 4),
        closed("floor", 1, 10, 30_000, 0, 0.30, 0.8),
        closed("noop", 1, 10, 20_000, 0, 0.90, 2),
        closed("noop", 64, 10, 120_000, 0, 5, 12),
        closed("sleep-batch1", 32, 10, 9_000, 1_000, 18, 25),
        closed("sleep-adaptive", 32, 10, 95_000, 0, 3, 9),
        closed("cached", 1, 10, 40_000, 0, 0.25, 0.6));

    String table = new ResultTable(results, TARGETS).markdown();

    assertThat(table).contains("| scenario | mode | req/s | p50 ms | p99 ms | p99.9 ms | % default | errors |");
    assertThat(table).contains("| ceiling label | closed c=64 | 30,000 | 1.50 | 4.00 | 8.00 | 0.0 | 0 |");
    assertThat(table).contains("| sleep-batch1 label | closed c=32 | 1,000 | 18.0 | 25.0 | 50.0 | 10.0 | 0 |");
    assertThat(table).contains("| (3) throughput >= 0.5 x (1) at c=64 | 0.40 x | MISS |");
    assertThat(table).contains("| (3) p50 <= (2) p50 + 1 ms at c=1 | +0.600 ms | PASS |");
    assertThat(table).contains("| (3) p50 <= (2) p50 + 0.15 ms at c=1 (stretch) | +0.600 ms | MISS |");
    // 9500 non-default req/s against 900: the defaults of batch size 1 do not count.
    assertThat(table).contains("| (4) adaptive >= 10 x batch 1, non-default req/s at c=32 | 10.56 x (all 200s: 9.50 x) | PASS |");
    assertThat(table).contains("| (4) adaptive p99 <= SLO 20.0 ms at c=32 | 9.00 ms | PASS |");
    assertThat(table).contains("| (5) cache p50 < 0.5 ms at c=1 | 0.250 ms | PASS |");
  }

  @Test
  void aTargetWhosePointsWereNotRunSaysSo() {
    String table = new ResultTable(List.of(closed("noop", 1, 1, 10, 0, 1, 2)), TARGETS).markdown();

    assertThat(table).contains("| (5) cache p50 < 0.5 ms at c=1 | not measured | n/a |");
  }

  @Test
  void resultLinesRoundTrip() {
    Result result = new Result("noop", "(3) frontend", "open r=2000/s", 10.0012, 2000, 19_990, 10,
        4, 1, 2, 3, 20, 0.812, 2.5, 7.25, 12);

    assertThat(Result.fromLine(result.toLine())).isEqualTo(result);
    // bench/paper/run reads seconds, ok, defaults and p99 by position.
    assertThat(result.toLine().split("\t")).startsWith("noop", "(3) frontend", "open r=2000/s",
        "10.0012", "19990", "10", "1", "2", "3", "0.8120", "2.5000");
    assertThat(result.concurrency()).isEqualTo(-1);
    assertThat(result.failures()).isEqualTo(10);
    assertThat(result.errorsBeyondRejections()).isEqualTo(6);
    assertThat(result.latePercent()).isEqualTo(100.0 * 20 / 20_005);
  }
}
