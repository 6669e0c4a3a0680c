package ai.clipper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The open loop on a virtual clock: a known schedule, a known stall, known latencies. */
class OpenLoopTest {

  private static final long MS = 1_000_000;

  /** Answers 1 ms after a query arrives, except that nothing is answered during a stall. */
  private static final class StallingTarget implements Target {
    private final VirtualClock clock;
    private final long stallStart;
    private final long stallEnd;
    long sent;

    StallingTarget(VirtualClock clock, long stallStart, long stallEnd) {
      this.clock = clock;
      this.stallStart = stallStart;
      this.stallEnd = stallEnd;
    }

    @Override
    public void send(long seq, Consumer<Outcome> done) {
      sent++;
      long now = clock.nanoTime();
      long begins = now >= stallStart && now < stallEnd ? stallEnd : now;
      clock.schedule(begins + MS, () -> done.accept(Outcome.OK));
    }
  }

  private static final LoadGenerator.Periods PERIODS = new LoadGenerator.Periods(
      Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(1));

  @Test
  void latenciesRunFromTheDueTimeSoAStallShowsInTheTail() {
    VirtualClock clock = new VirtualClock();
    StallingTarget target = new StallingTarget(clock, 400 * MS, 500 * MS);

    Result result = new LoadGenerator(target, PERIODS, clock).open("s", "s", 1000, 10_000);

    // 1000 queries due in the measured second; the 100 due during the 100 ms stall wait
    // 100 ms down to 1 ms for it, so the top 1% sit between 92 and 101 ms.
    assertThat(result.ok()).isEqualTo(1000);
    assertThat(result.unfinished()).isZero();
    assertThat(result.p50()).isEqualTo(1.0, org.assertj.core.data.Offset.offset(0.01));
    assertThat(result.p99()).isBetween(90.0, 95.0);
    assertThat(result.max()).isBetween(100.0, 102.0);
    assertThat(result.mode()).isEqualTo("open r=1000/s");
  }

  @Test
  void queriesHeldBackByTheOutstandingBoundStillCountFromTheirDueTime() {
    VirtualClock clock = new VirtualClock();
    StallingTarget target = new StallingTarget(clock, 400 * MS, 500 * MS);

    // At most 5 in flight: during the stall the loop cannot send, which a generator that timed
    // from the actual send would not see (coordinated omission).
    Result result = new LoadGenerator(target, PERIODS, clock).open("s", "s", 1000, 5);

    assertThat(result.ok()).isEqualTo(1000);
    assertThat(result.p50()).isEqualTo(1.0, org.assertj.core.data.Offset.offset(0.01));
    assertThat(result.p99()).isGreaterThan(90.0);
  }

  @Test
  void queriesNeverAnsweredCountAsUnfinished() {
    VirtualClock clock = new VirtualClock();
    Target silent = (seq, done) -> { };

    Result result = new LoadGenerator(silent, PERIODS, clock).open("s", "s", 200, 50);

    assertThat(result.ok()).isZero();
    assertThat(result.unfinished()).isEqualTo(200);
    assertThat(result.failures()).isEqualTo(200);
  }

  @Test
  void countsTheAnswersLaterThanTheBoundAndTimesRejectionsButNotErrors() {
    VirtualClock clock = new VirtualClock();
    StallingTarget stalling = new StallingTarget(clock, 400 * MS, 500 * MS);
    // Every 10th query a 503 with Retry-After, every 10th after it a dropped connection.
    Target target = (seq, done) -> stalling.send(seq, outcome -> done.accept(
        seq % 10 == 3 ? Outcome.REJECTED : seq % 10 == 7 ? Outcome.ERROR : outcome));

    Result result = new LoadGenerator(target, PERIODS, clock)
        .countingLateAfter(Duration.ofMillis(25)).open("s", "s", 1000, 10_000);

    assertThat(result.ok()).isEqualTo(800);
    assertThat(result.rejected()).isEqualTo(100);
    assertThat(result.errors()).isEqualTo(100);
    assertThat(result.offered()).isEqualTo(1000);
    // The 76 queries due from 400 to 475 ms wait more than 25 ms for the stall's end at 500 ms;
    // the 7 dropped among them (407, 417... 467) are not answers.
    assertThat(result.answers()).isEqualTo(900);
    assertThat(result.late()).isEqualTo(69);
    assertThat(result.latePercent()).isEqualTo(100.0 * 69 / 900);
  }
}
