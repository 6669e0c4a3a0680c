package ai.clipper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The closed-loop flood's table: each point beside the echo, and its targets as ratios. */
class FloodTableTest {

  private static final FloodTable.Settings SETTINGS =
      FloodTable.Settings.parse("sleep-batch1=20,sleep-adaptive=20,nomodel=100");

  /** A 10 s closed-loop point with its counts per second and its p99.9 (p50 a tenth, p99 half). */
  private static Result point(String scenario, int connections, long realPerSecond,
      long defaultsPerSecond, long errors, double p999) {
    return new Result(scenario, scenario + " label", "closed c=" + connections, 10,
        realPerSecond + defaultsPerSecond, realPerSecond * 10, defaultsPerSecond * 10, 0, 0,
        errors, 0, -1, p999 / 10, p999 / 2, p999, p999 * 2);
  }

  private static List<Result> run(Result... extra) {
    List<Result> points = new java.util.ArrayList<>(List.of(
        point("model:alone", 1, 450, 0, 0, 5),
        point("model:alone", 2, 700, 0, 0, 6),
        point("flood:sleep-batch1", 64, 650, 20_000, 0, 24),
        point("flood:sleep-adaptive", 32, 5_000, 10, 0, 22),
        point("flood:sleep-adaptive", 256, 4_600, 2_000, 0, 30),
        point("flood:sleep-adaptive", 1024, 4_000, 6_000, 2, 140),
        point(FloodTable.ECHO, 32, 12_000, 0, 0, 4),
        point(FloodTable.ECHO, 64, 12_000, 0, 0, 6),
        point(FloodTable.ECHO, 256, 12_000, 0, 0, 9),
        point(FloodTable.ECHO, 1024, 12_000, 0, 0, 130)));
    points.addAll(List.of(extra));
    return points;
  }

  @Test
  void showsEachPointBesideTheEchoAtTheSameConnections() {
    String table = new FloodTable(run(), SETTINGS).markdown();

    assertThat(table).contains("| flood:sleep-adaptive label | closed c=256 | 6,600 | 4,600 "
        + "| 2,000 | 0 | 0 | 3.00 | 15.0 | 30.0 | 9.00 |");
    assertThat(table).doesNotContain("| " + FloodTable.ECHO + " label");
  }

  @Test
  void judgesGoodputUnderTheFloodAgainstTheSameModelUnloadedAndAlone() {
    String table = new FloodTable(run(point("fresh:sleep-adaptive", 32, 4_400, 600, 0, 25)),
        SETTINGS).markdown();

    assertThat(table).contains("| sleep-adaptive at c=256: real answers/s >= 0.9 x at c=32 "
        + "(5,000/s) | 0.92 x | PASS |");
    assertThat(table).contains("| sleep-adaptive at c=1024: real answers/s >= 0.9 x at c=32 "
        + "(5,000/s) | 0.80 x | MISS |");
    assertThat(table).contains("| sleep-adaptive, first seconds after deploy, c=32: real "
        + "answers/s >= 0.9 x warm | 0.88 x | MISS |");
    // Against the model's best rate alone, two calls in flight.
    assertThat(table).contains("| sleep-batch1 at c=64: real answers/s >= 0.9 x the model's own "
        + "rate (700/s) | 0.93 x | PASS |");
  }

  @Test
  void judgesEachPointsTailAgainstItsSloPlusTheEchosAndCountsErrors() {
    String table = new FloodTable(run(), SETTINGS).markdown();

    assertThat(table).contains("| flood:sleep-adaptive label: p99.9 <= SLO + echo p99.9 = 29.0 ms "
        + "| 30.00 ms | MISS |");
    assertThat(table).contains("| flood:sleep-batch1 label: p99.9 <= SLO + echo p99.9 = 26.0 ms "
        + "| 24.00 ms | PASS |");
    assertThat(table).contains("| no errors, no socket errors (every flood point) | 2 | MISS |");
  }

  @Test
  void anInputBatchRightAfterReadyMustGetNoDefault() {
    Result cold = new Result("cold:demo", "demo", "closed c=1", 4, 150, 599, 1, 0, 0, 0, 0, -1,
        1, 2, 3, 4);
    String table = new FloodTable(run(cold), SETTINGS).markdown();

    assertThat(table).contains("| 200 input_batches of three right after ready: no default "
        + "| 1 defaults | MISS |");
  }

  @Test
  void aPointNotMeasuredIsSaidSoRatherThanJudged() {
    String table = new FloodTable(List.of(point("flood:sleep-adaptive", 32, 5_000, 0, 0, 20)),
        SETTINGS).markdown();

    assertThat(table).contains("| sleep-adaptive at c=256: real answers/s >= 0.9 x at c=32 "
        + "(5,000/s) | not measured | n/a |");
  }
}
