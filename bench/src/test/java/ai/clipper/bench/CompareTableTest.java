package ai.clipper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Two frontends' rounds: medians per side, their ratios, and the cache path's targets. */
class CompareTableTest {

  private static final CompareTable.Settings SETTINGS =
      new CompareTable.Settings("06de828", "HEAD", "cached", 32, 1.5, 0.5);

  private static Result round(String side, String scenario, int c, long answers, double p50,
      double p99) {
    return new Result(scenario, side, "closed c=" + c, 1, answers, answers, 0, 0, 0, 0, 0, -1, p50,
        p99, p99, p99);
  }

  @Test
  void printsTheMedianOfEachSidesRoundsAndJudgesTheCachePath() {
    String table = new CompareTable(List.of(
        round("06de828", "cached", 32, 16_000, 1.0, 40), round("HEAD", "cached", 32, 30_000, 0.5, 10),
        round("06de828", "cached", 32, 20_000, 1.2, 20), round("HEAD", "cached", 32, 28_000, 0.6, 12),
        round("06de828", "cached", 32, 18_000, 1.1, 30), round("HEAD", "cached", 32, 5_000, 9.0, 90),
        round("06de828", "cached", 128, 20_000, 4, 60), round("HEAD", "cached", 128, 25_000, 3, 40),
        round("06de828", "noop", 1, 2_000, 0.5, 1), round("HEAD", "noop", 1, 2_500, 0.4, 1)),
        SETTINGS).markdown();

    // Medians of three rounds: 18,000 and 28,000 req/s, p99 30 and 12 ms.
    assertThat(table).contains("| cached | closed c=32 | 3 / 3 | 18,000 | 28,000 | 1.56 x "
        + "| 1.10 | 0.60 | 0.55 x | 30.0 | 12.0 | 0.40 x |");
    assertThat(table).contains("| noop | closed c=1 | 1 / 1 | 2,000 | 2,500 | 1.25 x |");
    assertThat(table).contains("| cached throughput at c=32 >= 1.50 x 06de828's | 1.56 x | PASS |");
    assertThat(table).contains("| cached p99 at c=32 <= 0.50 x 06de828's | 0.40 x | PASS |");
    assertThat(table).contains("| cached p99 at c=128 <= 0.50 x 06de828's | 0.67 x | MISS |");
  }

  @Test
  void aPointOneSideDidNotMeasureIsNotJudged() {
    String table = new CompareTable(List.of(round("HEAD", "cached", 32, 30_000, 0.5, 10)),
        SETTINGS).markdown();

    assertThat(table).contains(
        "| cached throughput at c=32 >= 1.50 x 06de828's | not measured | n/a |");
  }
}
