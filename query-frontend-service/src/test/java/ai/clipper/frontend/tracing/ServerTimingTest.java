package ai.clipper.frontend.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Server-Timing header: milliseconds with three decimals, a cache hit said. */
class ServerTimingTest {

  @Test
  void writesEachPartInMillisecondsToTheMicrosecond() {
    assertThat(new ServerTiming(52_400, 1_204_000, 12_345_678_900L, false).header())
        .isEqualTo("queue;dur=0.052, model;dur=1.204, total;dur=12345.678");
  }

  @Test
  void saysACacheHit() {
    assertThat(new ServerTiming(0, 0, 7_000, true).header())
        .isEqualTo("queue;dur=0.000, model;dur=0.000, total;dur=0.007, cache;desc=hit");
  }

  @Test
  void theRequestsTimingIsItsLongestCallsAndItsTotal() {
    RequestTrace trace = RequestTrace.untraced();
    CallTiming fast = trace.call("a:1");
    CallTiming slow = trace.call("b:1");
    fast.queued(1_000);
    fast.sent(2_000, 1);
    fast.answered(3_000);
    slow.queued(1_000);
    slow.sent(5_000, 2);
    // not answered yet: its model time runs to now

    ServerTiming timing = trace.timing(9_000);
    assertThat(timing.queueNanos()).isEqualTo(4_000);
    assertThat(timing.modelNanos()).isEqualTo(4_000);
  }
}
