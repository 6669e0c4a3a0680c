package ai.clipper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The overload benchmark's tables: every row beside the echo at its load, and the targets as ratios. */
class OverloadTableTest {

  private static final OverloadTable.Settings SETTINGS =
      new OverloadTable.Settings(20, Set.of("sleep-reject"));

  /** A 10 s point with its counts per second and its p99.9 (p50 a tenth of it, p99 half). */
  private static Result point(String scenario, String mode, double offered, long okPerSecond,
      long defaultsPerSecond, long rejectedPerSecond, long errors, double p999) {
    return new Result(scenario, scenario + " label", mode, 10, offered, okPerSecond * 10,
        defaultsPerSecond * 10, rejectedPerSecond * 10, 0, errors, 0, 5, p999 / 10, p999 / 2,
        p999, p999 * 2);
  }

  private static Result echo(String mode, double p999) {
    return point(OverloadTable.ECHO, mode, 0, 1000, 0, 0, 0, p999);
  }

  @Test
  void showsEachOverloadPointBesideTheEchoAtTheSameLoad() {
    String table = new OverloadTable(List.of(
        point("overload:sleep-batch1:3x", "open r=2850/s", 2850, 900, 1950, 0, 0, 24),
        echo("open r=2850/s", 3)), SETTINGS).markdown();

    assertThat(table).contains("Overload (SLO 20.0 ms):");
    // 20000 answers in 10 s, 5 of them late: 0.03 %.
    assertThat(table).contains("| overload:sleep-batch1:3x label | open r=2850/s | 2,850 | 900 "
        + "| 1,950 | 0 | 2.40 | 12.0 | 24.0 | 48.0 | 0.02 | 0 | 0 | 1.50 | 3.00 |");
    assertThat(table).doesNotContain("First minute after ready").doesNotContain("Interference");
  }

  @Test
  void judgesGoodputErrorsAndTailAt3xOverloadAgainst1xAndTheEcho() {
    String table = new OverloadTable(List.of(
        point("overload:sleep-batch1:1x", "open r=950/s", 950, 940, 10, 0, 0, 22),
        point("overload:sleep-batch1:3x", "open r=2850/s", 2850, 900, 1950, 0, 0, 24),
        point("overload:sleep-batch1", "closed c=64", 3000, 900, 2100, 0, 0, 23),
        point("overload:sleep-batch1", "closed c=256", 3000, 900, 2100, 0, 3, 30),
        point("overload:sleep-reject:1x", "open r=950/s", 950, 940, 0, 10, 0, 21),
        point("overload:sleep-reject:3x", "open r=2850/s", 2850, 700, 0, 2150, 0, 21),
        echo("open r=950/s", 2), echo("open r=2850/s", 3)), SETTINGS).markdown();

    assertThat(table).contains("| sleep-batch1 at 3x: goodput >= 0.9 x goodput at 1x | 0.96 x | PASS |");
    assertThat(table).contains("| sleep-batch1 at 3x: no errors, no 503s | 0 | PASS |");
    assertThat(table).contains("| sleep-batch1 at 3x: p99.9 <= SLO + echo p99.9 at the same load "
        + "= 23.0 ms | 24.00 ms | MISS |");
    assertThat(table).contains("| sleep-batch1 at 3x: p99.9 <= SLO + 5 ms = 25.0 ms "
        + "(on a quiet machine) | 24.00 ms | PASS |");
    assertThat(table).contains("| sleep-batch1: 0 socket errors at c=256 | 3 | MISS |");
    // 700 real answers/s against 940: the 503s do not count as goodput.
    assertThat(table).contains("| sleep-reject at 3x: goodput >= 0.9 x goodput at 1x | 0.74 x | MISS |");
    assertThat(table).contains("| sleep-reject at 3x: no errors but opted-in 503s | 0 | PASS |");
  }

  @Test
  void an503FromAnAppThatDidNotOptInIsAnError() {
    String table = new OverloadTable(List.of(
        point("overload:sleep-batch1:3x", "open r=2850/s", 2850, 900, 1900, 50, 0, 24)),
        SETTINGS).markdown();

    assertThat(table).contains("| sleep-batch1 at 3x: no errors, no 503s | 500 | MISS |");
    assertThat(table).contains("| sleep-batch1 at 3x: goodput >= 0.9 x goodput at 1x | not measured | n/a |");
  }

  @Test
  void comparesTheInstantDefaultsTailWithTheEchosWarmAndInTheFirstMinute() {
    String table = new OverloadTable(List.of(
        point("first-minute:nomodel", "closed c=64", 0, 0, 9000, 0, 0, 40),
        point("warm:nomodel", "closed c=64", 0, 0, 12000, 0, 0, 15),
        echo("closed c=64", 10)), SETTINGS).markdown();

    assertThat(table).contains("First minute after ready:");
    assertThat(table).contains("| nomodel (instant default, warm) p99.9 <= 2 x echo's at c=64 | 1.50 x | PASS |");
    assertThat(table).contains("| nomodel first minute after ready: p99.9 <= 5 x echo's at c=64 | 4.00 x | PASS |");
  }

  @Test
  void anAppIsNotSlowedByAnotherAppsOverloadBeyondTheEchosTailAtThatLoad() {
    String table = new OverloadTable(List.of(
        point("alone:slow400", "open r=200/s", 200, 0, 200, 0, 0, 220),
        point("interferer:sleep-batch1", "open r=2850/s", 2850, 900, 1950, 0, 0, 24),
        point("during:slow400", "open r=200/s", 200, 0, 200, 0, 0, 300),
        echo("open r=2850/s", 12)), SETTINGS).markdown();

    assertThat(table).contains("Interference:");
    // p99 alone 110 ms, echo p99.9 at sleep-batch1's 3x 12 ms: 150 ms during is too slow.
    assertThat(table).contains("| slow400 p99 during sleep-batch1's overload <= p99 alone + echo "
        + "p99.9 at its load = 122.0 ms | 150.00 ms | MISS |");
  }
}
